import type { ActivityType } from "../activity/activity-event"
import type { Transition } from "../shared/transition"
import { changedTo } from "../shared/transition"
import type { StoredWebhookSubscription } from "./webhook-subscription"
import { webhookSubscriptionFacts } from "./webhook-subscription-facts"

/**
 * What a change to a webhook subscription at `at` does: the given fields replace the stored ones
 * (`eventTypes: null` for every event type, a list without repeats otherwise); disabling an enabled
 * subscription records it as disabled by hand, and enabling one clears why it was disabled and
 * its failure streak. Every change takes the next version and is recorded, with the subscription's
 * facts before and after.
 *
 * @example
 * ```ts
 * import { webhookSubscriptionUpdateTransition, type StoredWebhookSubscription } from "rmc-details"
 * declare const stored: StoredWebhookSubscription
 * const t = webhookSubscriptionUpdateTransition(stored, { enabled: false }, "2026-01-01T00:00:00.000Z")
 * ```
 */
export const webhookSubscriptionUpdateTransition = (
  stored: StoredWebhookSubscription,
  change: {
    readonly url?: string | undefined
    readonly eventTypes?: ReadonlyArray<ActivityType> | null | undefined
    readonly description?: string | null | undefined
    readonly includeInternal?: boolean | undefined
    readonly enabled?: boolean | undefined
  },
  at: string,
): Transition<StoredWebhookSubscription> => {
  const enabled = change.enabled ?? stored.enabled
  const reenabled = enabled && !stored.enabled
  const next: StoredWebhookSubscription = {
    ...stored,
    url: change.url ?? stored.url,
    eventTypes: change.eventTypes === undefined ? stored.eventTypes : change.eventTypes === null ? null : [...new Set(change.eventTypes)],
    description: change.description === undefined ? stored.description : change.description,
    includeInternal: change.includeInternal ?? stored.includeInternal,
    enabled,
    disabledReason: enabled ? null : stored.enabled ? "manual" : stored.disabledReason,
    disabledAt: enabled ? null : stored.enabled ? at : stored.disabledAt,
    ...(reenabled && { consecutiveDeadLetters: 0, failingSince: null }),
    version: stored.version + 1,
    updatedAt: at,
  }
  return changedTo(next, {
    type: "webhook_subscription.updated",
    subjectId: stored.id,
    conversationId: null,
    contactId: null,
    before: webhookSubscriptionFacts(stored),
    after: webhookSubscriptionFacts(next),
  })
}
