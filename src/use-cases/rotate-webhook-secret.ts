import { Effect } from "effect"
import { publicWebhookSubscription, type StoredWebhookSubscription } from "../domain/webhooks/webhook-subscription"
import { Storage } from "../ports/storage"
import { activityEvent } from "./support/activity"
import { expectVersion } from "./support/expect-version"
import { currentTime } from "./support/now"
import { defineUseCase } from "./support/use-case"
import { newWebhookSecret, storedSubscription } from "./support/webhook-subscriptions"

/**
 * Gives a webhook subscription a new signing secret (admin), answered this once. For
 * `graceSeconds` (24 hours by default) every delivery is signed with both the new and the
 * previous secret (Standard Webhooks carries one signature per secret), so that the receiver can
 * switch at its own pace; then only the new one signs. A secret rotated out earlier is dropped.
 *
 * @example
 * ```ts
 * import { rotateWebhookSecret } from "rmc-details"
 * const program = rotateWebhookSecret({ tenantId: "acme", agentId: "ada", role: "admin" }, { subscriptionId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11", graceSeconds: 3600 })
 * ```
 */
export const rotateWebhookSecret = defineUseCase("rotateWebhookSecret", (principal, input) =>
  Effect.gen(function* () {
    const storage = yield* Storage
    const now = yield* currentTime
    const secret = newWebhookSecret()
    return yield* storage.transaction((r) =>
      Effect.gen(function* () {
        const stored = yield* storedSubscription(r, principal.tenantId, input.subscriptionId)
        yield* expectVersion("webhook_subscription", stored.id, input.expectedVersion, stored.version)
        const graceEnds = new Date(Date.parse(now) + input.graceSeconds * 1000).toISOString()
        const next: StoredWebhookSubscription = {
          ...stored,
          secret,
          previousSecret: input.graceSeconds === 0 ? null : stored.secret,
          previousSecretExpiresAt: input.graceSeconds === 0 ? null : graceEnds,
          version: stored.version + 1,
          updatedAt: now,
        }
        yield* r.webhooks.update(next)
        yield* r.activity.append([
          yield* activityEvent(principal, now, "webhook_subscription.secret_rotated", {
            subjectId: stored.id,
            conversationId: null,
            contactId: null,
            after: { previousSecretExpiresAt: next.previousSecretExpiresAt },
          }),
        ])
        return { ...publicWebhookSubscription(next), secret }
      }),
    )
  }),
)
