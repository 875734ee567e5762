import { Effect } from "effect"
import { toCustomerView } from "../domain/conversation/customer-conversation-view"
import { Storage } from "../ports/storage"
import { defineUseCase } from "./support/use-case"
import { readableConversation } from "./support/visibility"

/**
 * The customer-facing projection of a conversation: what may ever be shown to the customer. It is
 * built from the conversation record alone; notes are never read.
 *
 * @example
 * ```ts
 * import { getCustomerView } from "rmc-details"
 * const program = getCustomerView({ tenantId: "acme", agentId: "alice", role: "agent" },
 *   { conversationId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11" })
 * ```
 */
export const getCustomerView = defineUseCase("getCustomerView", (principal, input) =>
  Effect.gen(function* () {
    const storage = yield* Storage
    const { conversation } = yield* storage.query((r) => readableConversation(r, principal, input.conversationId))
    return toCustomerView(conversation)
  }),
)
