import { Effect } from "effect"
import { Storage } from "../ports/storage"
import { orNotFound } from "./support/find"
import { defineUseCase } from "./support/use-case"

/**
 * An agent of the tenant's stored directory, active or not.
 *
 * @example
 * ```ts
 * import { getAgent } from "rmc-details"
 * const program = getAgent({ tenantId: "acme", agentId: "alice", role: "agent" }, { agentId: "bob" })
 * ```
 */
export const getAgent = defineUseCase("getAgent", (principal, input) =>
  Effect.gen(function* () {
    const storage = yield* Storage
    return yield* storage.query((r) => orNotFound("agent", input.agentId)(r.agents.get(principal.tenantId, input.agentId)))
  }),
)
