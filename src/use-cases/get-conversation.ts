import { Effect } from "effect"
import { Storage } from "../ports/storage"
import { readableConversation } from "./support/visibility"
import { defineUseCase } from "./support/use-case"

/**
 * Reads a conversation (with its version, for optimistic concurrency).
 *
 * @example
 * ```ts
 * import { getConversation } from "rmc-details"
 * const program = getConversation({ tenantId: "acme", agentId: "alice", role: "agent" },
 *   { conversationId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11" })
 * ```
 */
export const getConversation = defineUseCase("getConversation", (principal, input) =>
  Effect.gen(function* () {
    const storage = yield* Storage
    return yield* storage.query((r) => Effect.map(readableConversation(r, principal, input.conversationId), ({ conversation }) => conversation))
  }),
)
