import { agentDeactivationTransition } from "../domain/agent/agent-deactivation-transition"
import { runCommand } from "./support/command"
import { orNotFound } from "./support/find"
import { defineUseCase } from "./support/use-case"

/**
 * Deactivates an agent of the directory (admin): once the tenant's routing has `knownAgentsOnly`,
 * no transfer goes to it any more, and the Details panel stops offering it. Its conversations stay
 * assigned to it until someone transfers them. Deactivating an inactive agent changes nothing;
 * `updateAgent` with `active: true` reactivates it.
 *
 * @example
 * ```ts
 * import { deactivateAgent } from "rmc-details"
 * const program = deactivateAgent({ tenantId: "acme", agentId: "root", role: "admin" }, { agentId: "bob" })
 * ```
 */
export const deactivateAgent = defineUseCase("deactivateAgent", (principal, input) =>
  runCommand(principal, (r) => orNotFound("agent", input.agentId)(r.agents.get(principal.tenantId, input.agentId)))({
    expectedVersion: { entity: "agent", version: input.expectedVersion },
    transition: (agent, { now }) => agentDeactivationTransition(agent, now),
    save: (r, next) => r.agents.update(next),
  }),
)
