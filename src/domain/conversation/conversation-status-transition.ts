import type { Transition } from "../shared/transition"
import { changedTo, unchanged } from "../shared/transition"
import type { Conversation, ConversationStatus } from "./conversation"

/**
 * What setting a conversation's status does: another status takes the next version and records
 * both; the status it already has changes nothing.
 *
 * @example
 * ```ts
 * import { conversationStatusTransition, type Conversation } from "rmc-details"
 * declare const conversation: Conversation
 * const t = conversationStatusTransition(conversation, "resolved")
 * ```
 */
export const conversationStatusTransition = (conversation: Conversation, status: ConversationStatus): Transition<Conversation> =>
  conversation.status === status
    ? unchanged
    : changedTo(
        { ...conversation, status, version: conversation.version + 1 },
        {
          type: "conversation.status_changed",
          subjectId: conversation.id,
          conversationId: conversation.id,
          contactId: conversation.contactId,
          before: { status: conversation.status },
          after: { status },
        },
      )
