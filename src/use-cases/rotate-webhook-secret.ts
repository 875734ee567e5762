import { Effect } from "effect"
import { publicWebhookSubscription } from "../domain/webhooks/webhook-subscription"
import { webhookSecretRotationTransition } from "../domain/webhooks/webhook-secret-rotation-transition"
import { runCommand } from "./support/command"
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
    // Drawn per run: a run lost to a concurrent writer leaves nothing, and the next one starts afresh.
    const secret = newWebhookSecret()
    const rotated = yield* runCommand(principal, (r) => storedSubscription(r, principal.tenantId, input.subscriptionId))({
      expectedVersion: { entity: "webhook_subscription", version: input.expectedVersion },
      transition: (stored, { now }) => webhookSecretRotationTransition(stored, secret, input.graceSeconds, now),
      save: (r, next) => r.webhooks.update(next),
    })
    return { ...publicWebhookSubscription(rotated), secret }
  }),
)
