import type { Transition } from "../shared/transition"
import { changedTo, unchanged } from "../shared/transition"
import type { Conversation } from "./conversation"

/**
 * What activity on a conversation at `at` does: a later time moves its last activity forward and
 * takes the next version; a time at or before the last activity (a late or repeated report)
 * changes nothing, so that out-of-order deliveries never move it back.
 *
 * @example
 * ```ts
 * import { conversationActivityTransition, type Conversation } from "rmc-details"
 * declare const conversation: Conversation
 * const t = conversationActivityTransition(conversation, "2026-01-01T00:00:00.000Z")
 * ```
 */
export const conversationActivityTransition = (conversation: Conversation, at: string): Transition<Conversation> =>
  at <= conversation.lastActivityAt
    ? unchanged
    : changedTo(
        { ...conversation, lastActivityAt: at, version: conversation.version + 1 },
        {
          type: "conversation.activity_recorded",
          subjectId: conversation.id,
          conversationId: conversation.id,
          contactId: conversation.contactId,
          before: { lastActivityAt: conversation.lastActivityAt },
          after: { lastActivityAt: at },
        },
      )
