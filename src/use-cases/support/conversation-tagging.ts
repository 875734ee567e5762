import { Effect } from "effect"
import type { ActivityType } from "../../domain/activity/activity-event"
import type { Principal } from "../../domain/shared/principal"
import { Storage, type StorageRepositories } from "../../ports/storage"
import { activityEvent } from "./activity"
import { orNotFound } from "./find"
import { currentTime } from "./now"

/**
 * Runs one delta on a conversation's keywords or labels (attach, detach, apply, remove), records
 * it in the activity log when it changed something, and answers the conversation's resulting set.
 * Deltas, never a whole-list overwrite: two agents tagging at once never erase each other's work.
 *
 * @internal
 */
export const changeConversationTags = <A, E, R>(
  principal: Principal,
  conversationId: string,
  eventType: ActivityType,
  details: Record<string, unknown>,
  change: (
    r: StorageRepositories,
    conversation: { readonly id: string; readonly contactId: string },
    now: string,
  ) => Effect.Effect<boolean, E, R>,
  result: (r: StorageRepositories, conversation: { readonly id: string }) => Effect.Effect<ReadonlyArray<A>, E, R>,
) =>
  Effect.gen(function* () {
    const storage = yield* Storage
    const now = yield* currentTime
    return yield* storage.transaction((r) =>
      Effect.gen(function* () {
        const conversation = yield* orNotFound("conversation", conversationId)(r.conversations.get(principal.tenantId, conversationId))
        if (yield* change(r, conversation, now)) {
          yield* r.activity.append([
            yield* activityEvent(principal, now, eventType, {
              subjectId: conversation.id,
              conversationId: conversation.id,
              contactId: conversation.contactId,
              after: details,
            }),
          ])
        }
        return [...(yield* result(r, conversation))]
      }),
    )
  })
