import { Effect } from "effect"
import { publicWebhookSubscription, type StoredWebhookSubscription } from "../domain/webhooks/webhook-subscription"
import { Storage } from "../ports/storage"
import { activityEvent } from "./support/activity"
import { orNotFound } from "./support/find"
import { currentTime } from "./support/now"
import { defineUseCase } from "./support/use-case"
import { storedSubscription } from "./support/webhook-subscriptions"

// Counted up to this many: the answer says how many will be sent again, the replay sends them all.
const countCap = 100_000

/**
 * Sends a subscription's dead letters again (admin): the one named by `deadLetterId`, or every
 * one set aside until now, oldest first. A disabled subscription is enabled again (and its
 * failure count cleared). The replay goes through the outbox (a `webhook_subscription.replay_requested`
 * event) so that the relay's webhook sink sends it in order with the subscription's other events;
 * each dead letter delivered is removed, one that fails again stays with its new attempt count.
 * Answers the subscription and how many dead letters will be sent.
 *
 * @example
 * ```ts
 * import { replayWebhookDeadLetters } from "rmc-details"
 * const program = replayWebhookDeadLetters({ tenantId: "acme", agentId: "ada", role: "admin" }, { subscriptionId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11" })
 * ```
 */
export const replayWebhookDeadLetters = defineUseCase("replayWebhookDeadLetters", (principal, input) =>
  Effect.gen(function* () {
    const storage = yield* Storage
    const now = yield* currentTime
    return yield* storage.transaction((r) =>
      Effect.gen(function* () {
        const stored = yield* storedSubscription(r, principal.tenantId, input.subscriptionId)
        let count: number
        if (input.deadLetterId !== undefined) {
          const id = input.deadLetterId
          // A dead letter of another subscription is reported like one that does not exist.
          yield* r.webhooks.getDeadLetter(principal.tenantId, id).pipe(
            Effect.map((letter) => (letter?.subscriptionId === stored.id ? letter : null)),
            orNotFound("webhook_dead_letter", id),
          )
          count = 1
        } else {
          count = (yield* r.webhooks.deadLettersUntil(principal.tenantId, stored.id, now, countCap)).length
        }
        let current: StoredWebhookSubscription = stored
        if (!stored.enabled) {
          current = {
            ...stored,
            enabled: true,
            disabledReason: null,
            disabledAt: null,
            version: stored.version + 1,
            updatedAt: now,
            consecutiveDeadLetters: 0,
            failingSince: null,
          }
          yield* r.webhooks.update(current)
          yield* r.webhooks.setDeliveryState(stored.tenantId, stored.id, { consecutiveDeadLetters: 0, failingSince: null })
        }
        if (count > 0 || current !== stored) {
          yield* r.activity.append([
            yield* activityEvent(principal, now, "webhook_subscription.replay_requested", {
              subjectId: stored.id,
              conversationId: null,
              contactId: null,
              before: current === stored ? null : { enabled: false },
              after: { deadLetterId: input.deadLetterId ?? null, until: now, deadLetters: count, enabled: true },
            }),
          ])
        }
        return { subscription: publicWebhookSubscription(current), deadLetters: count }
      }),
    )
  }),
)
