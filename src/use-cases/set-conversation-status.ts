import { Effect } from "effect"
import { Storage } from "../ports/storage"
import { conversationForUpdate } from "./support/conversation-for-update"
import { saveConversation } from "./support/save-conversation"
import { currentTime } from "./support/now"
import { defineUseCase } from "./support/use-case"

/**
 * Sets a conversation's status (open, pending, resolved). Setting the status it already has
 * changes nothing and records nothing.
 *
 * @example
 * ```ts
 * import { setConversationStatus } from "rmc-details"
 * const program = setConversationStatus({ tenantId: "acme", agentId: "alice", role: "agent" },
 *   { conversationId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11", status: "resolved" })
 * ```
 */
export const setConversationStatus = defineUseCase("setConversationStatus", (principal, input) =>
  Effect.gen(function* () {
    const storage = yield* Storage
    const now = yield* currentTime
    return yield* storage.transaction((r) =>
      Effect.gen(function* () {
        const conversation = yield* conversationForUpdate(r, principal.tenantId, input.conversationId, input.expectedVersion)
        if (conversation.status === input.status) return conversation
        const next = { ...conversation, status: input.status, version: conversation.version + 1 }
        return yield* saveConversation(r, principal, now, {
          before: conversation,
          after: next,
          type: "conversation.status_changed",
          beforeFields: { status: conversation.status },
          afterFields: { status: next.status },
        })
      }),
    )
  }),
)
