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
 * `change` answers whether it changed something, or that with the details to record when they
 * differ from `details` (e.g. the keyword a merged one led to).
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
  ) => Effect.Effect<boolean | { readonly changed: boolean; readonly details: Record<string, unknown> }, E, R>,
  result: (r: StorageRepositories, conversation: { readonly id: string }) => Effect.Effect<ReadonlyArray<A>, E, R>,
) =>
  Effect.gen(function* () {
    const storage = yield* Storage
    const now = yield* currentTime
    return yield* storage.transaction((r) =>
      Effect.gen(function* () {
        const conversation = yield* orNotFound("conversation", conversationId)(r.conversations.get(principal.tenantId, conversationId))
        const outcome = yield* change(r, conversation, now)
        const changed = typeof outcome === "boolean" ? outcome : outcome.changed
        if (changed) {
          yield* r.activity.append([
            yield* activityEvent(principal, now, eventType, {
              subjectId: conversation.id,
              conversationId: conversation.id,
              contactId: conversation.contactId,
              after: typeof outcome === "boolean" ? details : outcome.details,
            }),
          ])
        }
        return [...(yield* result(r, conversation))]
      }),
    )
  })
