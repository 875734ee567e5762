import * as z from "zod"
import { type ActivityEvent, ActivityType } from "../activity/activity-event"
import { EntityId, ExternalId, Timestamp } from "../shared/ids"

/**
 * A tenant's webhook subscription as every read shows it: where events go, which types, whether
 * internal events (note bodies, personal values) are included, whether it is enabled, and its
 * delivery state. Its signing secrets are never part of it: they are shown once, when created or
 * rotated.
 *
 * - `eventTypes`: the types it receives, or `null` for every type;
 * - `includeInternal`: `true` only when the tenant opted in to internal events;
 * - `disabledReason`: why it was disabled (`manual`, or `failing` when deliveries kept failing);
 * - `consecutiveDeadLetters` and `failingSince`: the delivery state that decides when a failing
 *   endpoint is disabled (reset by a delivery that succeeds);
 * - `previousSecretExpiresAt`: until when the secret before the last rotation still signs.
 *
 * @example
 * ```ts
 * import { WebhookSubscription } from "rmc-details"
 * const onlyEnabled = (subscriptions: ReadonlyArray<WebhookSubscription>) => subscriptions.filter((s) => s.enabled)
 * ```
 */
export const WebhookSubscription = z
  .object({
    id: EntityId,
    tenantId: ExternalId,
    url: z.string(),
    description: z.string().nullable(),
    eventTypes: z.array(ActivityType).nullable(),
    includeInternal: z.boolean(),
    enabled: z.boolean(),
    disabledReason: z.enum(["manual", "failing"]).nullable(),
    disabledAt: Timestamp.nullable(),
    consecutiveDeadLetters: z.number().int().nonnegative(),
    failingSince: Timestamp.nullable(),
    previousSecretExpiresAt: Timestamp.nullable(),
    version: z.number().int().positive(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: "WebhookSubscription" })
/** @see {@link WebhookSubscription} */
export type WebhookSubscription = z.infer<typeof WebhookSubscription>

/**
 * A subscription and the secret it signs with, as answered once by `createWebhookSubscription`
 * and `rotateWebhookSecret`: keep the secret, no later read shows it.
 *
 * @example
 * ```ts
 * import type { WebhookSubscriptionWithSecret } from "rmc-details"
 * const keep = (created: WebhookSubscriptionWithSecret) => created.secret.startsWith("whsec_")
 * ```
 */
export const WebhookSubscriptionWithSecret = WebhookSubscription.extend({ secret: z.string() }).meta({ id: "WebhookSubscriptionWithSecret" })
/** @see {@link WebhookSubscriptionWithSecret} */
export type WebhookSubscriptionWithSecret = z.infer<typeof WebhookSubscriptionWithSecret>

/**
 * A subscription as a store keeps it: with its signing secrets, the current one and, during a
 * rotation's grace period, the previous one (until `previousSecretExpiresAt`).
 *
 * @example
 * ```ts
 * import type { StoredWebhookSubscription } from "rmc-details"
 * const signingSecrets = (s: StoredWebhookSubscription, now: string) =>
 *   s.previousSecret !== null && s.previousSecretExpiresAt !== null && s.previousSecretExpiresAt > now ? [s.secret, s.previousSecret] : [s.secret]
 * ```
 */
export interface StoredWebhookSubscription extends WebhookSubscription {
  readonly secret: string
  readonly previousSecret: string | null
}

/**
 * The secrets a subscription signs with at `now`: the current one, and the previous one while its
 * grace period runs (Standard Webhooks: one signature per secret).
 *
 * @example
 * ```ts
 * import { signingSecrets, type StoredWebhookSubscription } from "rmc-details"
 * declare const stored: StoredWebhookSubscription
 * signingSecrets(stored, new Date().toISOString()).length // 1 or 2
 * ```
 */
export const signingSecrets = (subscription: StoredWebhookSubscription, now: string): ReadonlyArray<string> =>
  subscription.previousSecret !== null && subscription.previousSecretExpiresAt !== null && subscription.previousSecretExpiresAt > now
    ? [subscription.secret, subscription.previousSecret]
    : [subscription.secret]

/**
 * What reads show of a stored subscription: everything but its secrets.
 *
 * @example
 * ```ts
 * import { publicWebhookSubscription, type StoredWebhookSubscription } from "rmc-details"
 * declare const stored: StoredWebhookSubscription
 * "secret" in publicWebhookSubscription(stored) // false
 * ```
 */
export const publicWebhookSubscription = (stored: StoredWebhookSubscription): WebhookSubscription => {
  const { secret: _secret, previousSecret: _previous, ...visible } = stored
  return visible
}

/**
 * An event a subscription's endpoint did not take after every attempt (or refused for good), set
 * aside for a replay: which event, how many attempts were made, and the last failure.
 *
 * @example
 * ```ts
 * import type { WebhookDeadLetter } from "rmc-details"
 * const line = (d: WebhookDeadLetter) => `${d.eventType} ${d.eventId}: ${d.lastError} after ${d.attempts} attempts`
 * ```
 */
export const WebhookDeadLetter = z
  .object({
    id: EntityId,
    tenantId: ExternalId,
    subscriptionId: EntityId,
    eventId: EntityId,
    eventType: ActivityType,
    attempts: z.number().int().nonnegative(),
    lastError: z.string(),
    deadLetteredAt: Timestamp,
  })
  .meta({ id: "WebhookDeadLetter" })
/** @see {@link WebhookDeadLetter} */
export type WebhookDeadLetter = z.infer<typeof WebhookDeadLetter>

/**
 * A dead letter as a store keeps it: with the event itself, so that a replay can send it again.
 *
 * @example
 * ```ts
 * import type { StoredWebhookDeadLetter } from "rmc-details"
 * const typeOf = (d: StoredWebhookDeadLetter) => d.event.type
 * ```
 */
export interface StoredWebhookDeadLetter extends WebhookDeadLetter {
  readonly event: ActivityEvent
}

/**
 * What reads show of a stored dead letter: everything but the event's data.
 *
 * @example
 * ```ts
 * import { publicWebhookDeadLetter, type StoredWebhookDeadLetter } from "rmc-details"
 * declare const stored: StoredWebhookDeadLetter
 * "event" in publicWebhookDeadLetter(stored) // false
 * ```
 */
export const publicWebhookDeadLetter = (stored: StoredWebhookDeadLetter): WebhookDeadLetter => {
  const { event: _event, ...visible } = stored
  return visible
}
