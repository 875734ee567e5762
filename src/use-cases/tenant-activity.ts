import { Effect } from "effect"
import { Storage } from "../ports/storage"
import { readCursor, toPage } from "./support/paging"
import { defineUseCase } from "./support/use-case"
import { pageReadLimit } from "../domain/shared/page"

/**
 * The tenant's own activity feed, newest first (supervisor, admin): the events that are on no
 * conversation's or contact's timeline, i.e. settings configured and catalog changes (departments,
 * keywords and labels created, renamed, updated, archived, merged). A keyword merge is also on
 * the timeline of every conversation it retagged.
 *
 * @example
 * ```ts
 * import { tenantActivity } from "rmc-details"
 * const program = tenantActivity({ tenantId: "acme", agentId: "sam", role: "supervisor" }, { limit: 50 })
 * ```
 */
export const tenantActivity = defineUseCase("tenantActivity", (principal, input) =>
  Effect.gen(function* () {
    const storage = yield* Storage
    const after = yield* readCursor(input.cursor)
    const rows = yield* storage.query((r) => r.activity.listByTenant(principal.tenantId, { limit: pageReadLimit(input.limit), after }))
    return toPage(rows, input.limit, (e) => ({ at: e.at, id: e.id }))
  }),
)
