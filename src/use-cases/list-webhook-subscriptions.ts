import { Effect } from "effect"
import { publicWebhookSubscription } from "../domain/webhooks/webhook-subscription"
import { Storage } from "../ports/storage"
import { readCursor, toPage } from "./support/paging"
import { defineUseCase } from "./support/use-case"
import { pageReadLimit } from "../domain/shared/page"

/**
 * The tenant's webhook subscriptions, newest first, in pages (admin). Secrets are never shown.
 *
 * @example
 * ```ts
 * import { listWebhookSubscriptions } from "rmc-details"
 * const program = listWebhookSubscriptions({ tenantId: "acme", agentId: "ada", role: "admin" }, { limit: 20 })
 * ```
 */
export const listWebhookSubscriptions = defineUseCase("listWebhookSubscriptions", (principal, input) =>
  Effect.gen(function* () {
    const storage = yield* Storage
    const after = yield* readCursor(input.cursor)
    const rows = yield* storage.query((r) => r.webhooks.list(principal.tenantId, { limit: pageReadLimit(input.limit), after }))
    return toPage(rows.map(publicWebhookSubscription), input.limit, (s) => ({ at: s.createdAt, id: s.id }))
  }),
)
