import { Effect } from "effect"
import { publicWebhookSubscription } from "../domain/webhooks/webhook-subscription"
import { Storage } from "../ports/storage"
import { defineUseCase } from "./support/use-case"
import { storedSubscription } from "./support/webhook-subscriptions"

/**
 * A webhook subscription with its delivery state (admin); never its secrets.
 *
 * @example
 * ```ts
 * import { getWebhookSubscription } from "rmc-details"
 * const program = getWebhookSubscription({ tenantId: "acme", agentId: "ada", role: "admin" }, { subscriptionId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11" })
 * ```
 */
export const getWebhookSubscription = defineUseCase("getWebhookSubscription", (principal, input) =>
  Effect.gen(function* () {
    const storage = yield* Storage
    return publicWebhookSubscription(yield* storage.query((r) => storedSubscription(r, principal.tenantId, input.subscriptionId)))
  }),
)
