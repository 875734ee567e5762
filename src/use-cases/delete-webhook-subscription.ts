import { webhookSubscriptionFacts } from "../domain/webhooks/webhook-subscription-facts"
import { Effect } from "effect"
import { publicWebhookSubscription } from "../domain/webhooks/webhook-subscription"
import { Storage } from "../ports/storage"
import { activityEvent } from "./support/activity"
import { currentTime } from "./support/now"
import { defineUseCase } from "./support/use-case"
import { storedSubscription } from "./support/webhook-subscriptions"

/**
 * Deletes a webhook subscription and its dead letters (admin); answers it as it was. Events the
 * relay has not yet delivered to it are not delivered.
 *
 * @example
 * ```ts
 * import { deleteWebhookSubscription } from "rmc-details"
 * const program = deleteWebhookSubscription({ tenantId: "acme", agentId: "ada", role: "admin" }, { subscriptionId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11" })
 * ```
 */
export const deleteWebhookSubscription = defineUseCase("deleteWebhookSubscription", (principal, input) =>
  Effect.gen(function* () {
    const storage = yield* Storage
    const now = yield* currentTime
    return yield* storage.transaction((r) =>
      Effect.gen(function* () {
        const stored = yield* storedSubscription(r, principal.tenantId, input.subscriptionId)
        yield* r.webhooks.delete(stored.tenantId, stored.id)
        yield* r.activity.append([
          yield* activityEvent(principal, now, "webhook_subscription.deleted", {
            subjectId: stored.id,
            conversationId: null,
            contactId: null,
            before: webhookSubscriptionFacts(stored),
          }),
        ])
        return publicWebhookSubscription(stored)
      }),
    )
  }),
)
