import { Effect } from "effect"
import { Storage } from "../ports/storage"
import { activityEvent } from "./support/activity"
import { conversationForUpdate } from "./support/conversation-for-update"
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
        yield* r.conversations.update(next)
        yield* r.activity.append([
          yield* activityEvent(principal, now, "conversation.status_changed", {
            subjectId: conversation.id,
            conversationId: conversation.id,
            contactId: conversation.contactId,
            before: { status: conversation.status },
            after: { status: next.status },
          }),
        ])
        return next
      }),
    )
  }),
)
