import { Effect } from "effect"
import { publicWebhookSubscription, type StoredWebhookSubscription } from "../domain/webhooks/webhook-subscription"
import { Storage } from "../ports/storage"
import { activityEvent } from "./support/activity"
import { expectVersion } from "./support/expect-version"
import { currentTime } from "./support/now"
import { defineUseCase } from "./support/use-case"
import { checkWebhookUrl, storedSubscription, subscriptionFacts } from "./support/webhook-subscriptions"

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
    const storage = yield* Storage
    const now = yield* currentTime
    return yield* storage.transaction((r) =>
      Effect.gen(function* () {
        const stored = yield* storedSubscription(r, principal.tenantId, input.subscriptionId)
        yield* expectVersion("webhook_subscription", stored.id, input.expectedVersion, stored.version)
        const enabled = input.enabled ?? stored.enabled
        const next: StoredWebhookSubscription = {
          ...stored,
          url: input.url ?? stored.url,
          eventTypes: input.eventTypes === undefined ? stored.eventTypes : input.eventTypes === null ? null : [...new Set(input.eventTypes)],
          description: input.description === undefined ? stored.description : input.description,
          includeInternal: input.includeInternal ?? stored.includeInternal,
          enabled,
          disabledReason: enabled ? null : stored.enabled ? "manual" : stored.disabledReason,
          disabledAt: enabled ? null : stored.enabled ? now : stored.disabledAt,
          version: stored.version + 1,
          updatedAt: now,
        }
        yield* r.webhooks.update(next)
        const reenabled = enabled && !stored.enabled
        if (reenabled) yield* r.webhooks.setDeliveryState(stored.tenantId, stored.id, { consecutiveDeadLetters: 0, failingSince: null })
        yield* r.activity.append([
          yield* activityEvent(principal, now, "webhook_subscription.updated", {
            subjectId: stored.id,
            conversationId: null,
            contactId: null,
            before: subscriptionFacts(stored),
            after: subscriptionFacts(next),
          }),
        ])
        return publicWebhookSubscription(
          reenabled
            ? { ...next, consecutiveDeadLetters: 0, failingSince: null }
            : { ...next, consecutiveDeadLetters: stored.consecutiveDeadLetters, failingSince: stored.failingSince },
        )
      }),
    )
  }),
)
