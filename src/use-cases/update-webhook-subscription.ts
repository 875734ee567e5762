import { Effect } from "effect"
import { publicWebhookSubscription } from "../domain/webhooks/webhook-subscription"
import { webhookSubscriptionUpdateTransition } from "../domain/webhooks/webhook-subscription-update-transition"
import { runCommand } from "./support/command"
import { defineUseCase } from "./support/use-case"
import { checkWebhookUrl, storedSubscription } from "./support/webhook-subscriptions"

/**
 * Changes a webhook subscription (admin): its URL, event types (`null`: every type), internal
 * opt-in, description, or whether it is enabled. Disabling stops its deliveries; enabling a
 * subscription the relay disabled for failing also clears its failure count. With
 * `expectedVersion` (HTTP: `If-Match`), a subscription changed since it was read is not
 * overwritten.
 *
 * @example
 * ```ts
 * import { updateWebhookSubscription } from "rmc-details"
 * const program = updateWebhookSubscription({ tenantId: "acme", agentId: "ada", role: "admin" }, { subscriptionId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11", enabled: true })
 * ```
 */
export const updateWebhookSubscription = defineUseCase("updateWebhookSubscription", (principal, input) =>
  Effect.gen(function* () {
    if (input.url !== undefined) yield* checkWebhookUrl(input.url, input.allowHttp)
    const updated = yield* runCommand(principal, (r) => storedSubscription(r, principal.tenantId, input.subscriptionId))({
      expectedVersion: { entity: "webhook_subscription", version: input.expectedVersion },
      transition: (stored, { now }) => webhookSubscriptionUpdateTransition(stored, input, now),
      save: (r, next, stored) =>
        Effect.gen(function* () {
          yield* r.webhooks.update(next)
          // The store keeps the delivery state apart from the subscription: a re-enabled one starts a new streak.
          if (next.enabled && !stored.enabled) {
            yield* r.webhooks.setDeliveryState(stored.tenantId, stored.id, { consecutiveDeadLetters: 0, failingSince: null })
          }
        }),
    })
    return publicWebhookSubscription(updated)
  }),
)
