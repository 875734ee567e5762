import { Effect } from "effect"
import { Storage, type StoreConversationFilter } from "../ports/storage"
import { storeConditions } from "./support/attributes"
import { toTimestamp } from "./support/now"
import { readCursor, toPage } from "./support/paging"
import { settingsOf } from "./support/settings"
import { defineUseCase } from "./support/use-case"
import { reachOf, visibilityOf } from "./support/visibility"
import { pageReadLimit } from "../domain/shared/page"

/**
 * Searches the tenant's conversations by keywords (any of / all of), labels (any of / all of),
 * departments, channels, statuses, contact types, contact and creation date range (`from`
 * inclusive, `to` exclusive) and custom attributes of the conversation or its contact (see
 * {@link AttributeCondition}; an unknown key or a value its type cannot hold fails with
 * `attribute_invalid`), most recent activity first, cursor-paginated. A list given empty is
 * taken literally: an empty "one of" list (`anyOf`, `departmentIds`, `channels`, `status`,
 * `contactTypes`) matches nothing, an empty `allOf` restricts nothing. For an agent under a
 * `department` history rule, only the conversations in their reach are found.
 *
 * @example
 * ```ts
 * import { searchConversations } from "rmc-details"
 * const program = searchConversations({ tenantId: "acme", agentId: "alice", role: "agent" },
 *   { filter: { status: ["open"], channels: ["whatsapp", "sms"] }, limit: 20 })
 * ```
 */
export const searchConversations = defineUseCase("searchConversations", (principal, input) =>
  Effect.gen(function* () {
    const storage = yield* Storage
    const after = yield* readCursor(input.cursor)
    // Lists go to the store as given: an empty "one of" list matches nothing, an empty allOf
    // restricts nothing. Only the dates change form.
    const { from, to, attributes, ...lists } = input.filter
    const rows = yield* storage.query((r) =>
      Effect.gen(function* () {
        const rules = yield* visibilityOf(r, principal)
        const region = attributes === undefined ? "" : (yield* settingsOf(r, principal.tenantId)).defaultRegion
        const storeFilter: StoreConversationFilter = {
          ...lists,
          from: from === undefined ? undefined : toTimestamp(from),
          to: to === undefined ? undefined : toTimestamp(to),
          attributes: yield* storeConditions(r, principal.tenantId, attributes, region),
          reach: reachOf(principal, rules),
        }
        return yield* r.conversations.search(principal.tenantId, storeFilter, { limit: pageReadLimit(input.limit), after })
      }),
    )
    return toPage(rows, input.limit, (c) => ({ at: c.lastActivityAt, id: c.id }))
  }),
)
