import { webhookSubscriptionFacts } from "../domain/webhooks/webhook-subscription-facts"
import { Effect } from "effect"
import { publicWebhookSubscription, type StoredWebhookSubscription } from "../domain/webhooks/webhook-subscription"
import { Storage } from "../ports/storage"
import { activityEvent } from "./support/activity"
import { currentTime, nextId } from "./support/now"
import { defineUseCase } from "./support/use-case"
import { checkWebhookUrl, newWebhookSecret } from "./support/webhook-subscriptions"

/**
 * Subscribes an endpoint to the tenant's events (admin). The URL must be `https` (`http` only on
 * the loopback interface, or with `allowHttp`). The answer carries the signing secret
 * (`whsec_...`) this once: no later read shows it. Internal events (note bodies, personal values)
 * reach it only with `includeInternal: true`.
 *
 * @example
 * ```ts
 * import { createWebhookSubscription } from "rmc-details"
 * const program = createWebhookSubscription({ tenantId: "acme", agentId: "ada", role: "admin" }, { url: "https://crm.example.com/hooks/rmc" })
 * ```
 */
export const createWebhookSubscription = defineUseCase("createWebhookSubscription", (principal, input) =>
  Effect.gen(function* () {
    yield* checkWebhookUrl(input.url, input.allowHttp)
    const storage = yield* Storage
    const now = yield* currentTime
    const id = yield* nextId
    const stored: StoredWebhookSubscription = {
      id,
      tenantId: principal.tenantId,
      url: input.url,
      description: input.description ?? null,
      eventTypes: input.eventTypes === undefined ? null : [...new Set(input.eventTypes)],
      includeInternal: input.includeInternal,
      enabled: input.enabled,
      disabledReason: input.enabled ? null : "manual",
      disabledAt: input.enabled ? null : now,
      consecutiveDeadLetters: 0,
      failingSince: null,
      previousSecretExpiresAt: null,
      version: 1,
      createdAt: now,
      updatedAt: now,
      secret: newWebhookSecret(),
      previousSecret: null,
    }
    const event = yield* activityEvent(principal, now, "webhook_subscription.created", {
      subjectId: id,
      conversationId: null,
      contactId: null,
      after: webhookSubscriptionFacts(stored),
    })
    yield* storage.transaction((r) => Effect.andThen(r.webhooks.insert(stored), r.activity.append([event])))
    return { ...publicWebhookSubscription(stored), secret: stored.secret }
  }),
)
