import type { Transition } from "../shared/transition"
import { changedTo } from "../shared/transition"
import type { StoredWebhookSubscription } from "./webhook-subscription"

/**
 * What giving a webhook subscription the new signing secret `secret` at `at` does: the current
 * secret becomes the previous one for `graceSeconds` (dropped at once with 0), any older one is
 * dropped, and the subscription takes the next version. The event records only when the previous
 * secret stops signing, never a secret.
 *
 * @example
 * ```ts
 * import { webhookSecretRotationTransition, type StoredWebhookSubscription } from "rmc-details"
 * declare const stored: StoredWebhookSubscription
 * const t = webhookSecretRotationTransition(stored, "whsec_bmV3", 3600, "2026-01-01T00:00:00.000Z")
 * ```
 */
export const webhookSecretRotationTransition = (
  stored: StoredWebhookSubscription,
  secret: string,
  graceSeconds: number,
  at: string,
): Transition<StoredWebhookSubscription> => {
  const graceEnds = new Date(Date.parse(at) + graceSeconds * 1000).toISOString()
  const next: StoredWebhookSubscription = {
    ...stored,
    secret,
    previousSecret: graceSeconds === 0 ? null : stored.secret,
    previousSecretExpiresAt: graceSeconds === 0 ? null : graceEnds,
    version: stored.version + 1,
    updatedAt: at,
  }
  return changedTo(next, {
    type: "webhook_subscription.secret_rotated",
    subjectId: stored.id,
    conversationId: null,
    contactId: null,
    after: { previousSecretExpiresAt: next.previousSecretExpiresAt },
  })
}
