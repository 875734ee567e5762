import { Effect } from "effect"
import { Storage } from "../ports/storage"
import { orNotFound } from "./support/find"
import { defineUseCase } from "./support/use-case"

/**
 * Reads a custom attribute's definition, archived or not.
 *
 * @example
 * ```ts
 * import { getAttribute } from "rmc-details"
 * const program = getAttribute({ tenantId: "acme", agentId: "alice", role: "agent" },
 *   { attributeId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11" })
 * ```
 */
export const getAttribute = defineUseCase("getAttribute", (principal, input) =>
  Effect.gen(function* () {
    const storage = yield* Storage
    return yield* storage.query((r) => orNotFound("attribute", input.attributeId)(r.attributes.get(principal.tenantId, input.attributeId)))
  }),
)
