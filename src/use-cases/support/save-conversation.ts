import { Effect } from "effect"
import type { ActivityType } from "../../domain/activity/activity-event"
import type { Conversation } from "../../domain/conversation/conversation"
import type { Principal } from "../../domain/shared/principal"
import type { StorageRepositories } from "../../ports/storage"
import { activityEvent } from "./activity"

/**
 * Stores the next version of a conversation with the event that says what changed.
 *
 * @internal
 */
export const saveConversation = (
  r: StorageRepositories,
  principal: Principal,
  at: string,
  change: {
    readonly before: Conversation
    readonly after: Conversation
    readonly type: ActivityType
    readonly beforeFields: Record<string, unknown>
    readonly afterFields: Record<string, unknown>
  },
) =>
  Effect.gen(function* () {
    yield* r.conversations.update(change.after)
    yield* r.activity.append([
      yield* activityEvent(principal, at, change.type, {
        subjectId: change.before.id,
        conversationId: change.before.id,
        contactId: change.before.contactId,
        before: change.beforeFields,
        after: change.afterFields,
      }),
    ])
    return change.after
  })
