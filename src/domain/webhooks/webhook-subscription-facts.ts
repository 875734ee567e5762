import type { StoredWebhookSubscription } from "./webhook-subscription"

/**
 * What a subscription's events record of it: where it delivers, what, and whether it is enabled;
 * never a secret.
 *
 * @example
 * ```ts
 * import { webhookSubscriptionFacts, type StoredWebhookSubscription } from "rmc-details"
 * declare const stored: StoredWebhookSubscription
 * webhookSubscriptionFacts(stored).url
 * ```
 */
export const webhookSubscriptionFacts = (s: StoredWebhookSubscription) => ({
  url: s.url,
  description: s.description,
  eventTypes: s.eventTypes,
  includeInternal: s.includeInternal,
  enabled: s.enabled,
})
