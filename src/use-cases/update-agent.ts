import { Effect } from "effect"
import { agentUpdateTransition } from "../domain/agent/agent-update-transition"
import { agentDepartments } from "./support/agents"
import { runCommand } from "./support/command"
import { orNotFound } from "./support/find"
import { defineUseCase } from "./support/use-case"

/**
 * Changes an agent of the directory (admin): its name, role, departments (live departments of the
 * tenant; the list given replaces the current one) or active state (`active: true` reactivates a
 * deactivated agent). A change that changes nothing writes nothing.
 *
 * @example
 * ```ts
 * import { updateAgent } from "rmc-details"
 * const program = updateAgent({ tenantId: "acme", agentId: "root", role: "admin" }, { agentId: "bob", role: "supervisor" })
 * ```
 */
export const updateAgent = defineUseCase("updateAgent", (principal, input) =>
  runCommand(principal, (r) => orNotFound("agent", input.agentId)(r.agents.get(principal.tenantId, input.agentId)))({
    expectedVersion: { entity: "agent", version: input.expectedVersion },
    transition: (agent, { r, now }) =>
      Effect.map(
        input.departmentIds === undefined ? Effect.succeed(agent.departmentIds) : agentDepartments(r, principal.tenantId, input.departmentIds),
        (departmentIds) =>
          agentUpdateTransition(
            agent,
            { displayName: input.displayName ?? agent.displayName, role: input.role ?? agent.role, departmentIds, active: input.active ?? agent.active },
            now,
          ),
      ),
    save: (r, next) => r.agents.update(next),
  }),
)
