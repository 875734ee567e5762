import { Effect } from "effect"
import { publicWebhookDeadLetter } from "../domain/webhooks/webhook-subscription"
import { Storage } from "../ports/storage"
import { readCursor, toPage } from "./support/paging"
import { defineUseCase } from "./support/use-case"
import { storedSubscription } from "./support/webhook-subscriptions"
import { pageReadLimit } from "../domain/shared/page"

/**
 * The events a subscription's endpoint did not take, newest first, in pages (admin): which
 * event, how many attempts, the last failure. Replay them with `replayWebhookDeadLetters`.
 *
 * @example
 * ```ts
 * import { listWebhookDeadLetters } from "rmc-details"
 * const program = listWebhookDeadLetters({ tenantId: "acme", agentId: "ada", role: "admin" }, { subscriptionId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11" })
 * ```
 */
export const listWebhookDeadLetters = defineUseCase("listWebhookDeadLetters", (principal, input) =>
  Effect.gen(function* () {
    const storage = yield* Storage
    const after = yield* readCursor(input.cursor)
    const rows = yield* storage.query((r) =>
      Effect.andThen(
        storedSubscription(r, principal.tenantId, input.subscriptionId),
        r.webhooks.listDeadLetters(principal.tenantId, input.subscriptionId, { limit: pageReadLimit(input.limit), after }),
      ),
    )
    return toPage(rows.map(publicWebhookDeadLetter), input.limit, (d) => ({ at: d.deadLetteredAt, id: d.id }))
  }),
)
