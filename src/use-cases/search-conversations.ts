import { Effect } from "effect"
import { Storage, type StoreConversationFilter } from "../ports/storage"
import { toTimestamp } from "./support/now"
import { readCursor, toPage } from "./support/paging"
import { defineUseCase } from "./support/use-case"

const nonEmpty = <A>(list: ReadonlyArray<A> | undefined): ReadonlyArray<A> | undefined =>
  list === undefined || list.length === 0 ? undefined : list

/**
 * Searches the tenant's conversations by keywords (any of / all of), labels (any of / all of),
 * departments, channels, statuses, contact types, contact and creation date range (`from`
 * inclusive, `to` exclusive), most recent activity first, cursor-paginated.
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
    const { filter } = input
    const anyKeywords = nonEmpty(filter.keywords?.anyOf)
    const allKeywords = nonEmpty(filter.keywords?.allOf)
    const anyLabels = nonEmpty(filter.labels?.anyOf)
    const allLabels = nonEmpty(filter.labels?.allOf)
    const storeFilter: StoreConversationFilter = {
      ...(anyKeywords === undefined && allKeywords === undefined ? {} : { keywords: { anyOf: anyKeywords && [...anyKeywords], allOf: allKeywords && [...allKeywords] } }),
      ...(anyLabels === undefined && allLabels === undefined ? {} : { labels: { anyOf: anyLabels && [...anyLabels], allOf: allLabels && [...allLabels] } }),
      departmentIds: nonEmpty(filter.departmentIds) && filter.departmentIds,
      channels: nonEmpty(filter.channels) && filter.channels,
      status: nonEmpty(filter.status) && filter.status,
      contactTypes: nonEmpty(filter.contactTypes) && filter.contactTypes,
      contactId: filter.contactId,
      from: filter.from === undefined ? undefined : toTimestamp(filter.from),
      to: filter.to === undefined ? undefined : toTimestamp(filter.to),
    }
    const rows = yield* storage.query((r) =>
      r.conversations.search(principal.tenantId, storeFilter, { limit: input.limit + 1, after }),
    )
    return toPage(rows, input.limit, (c) => ({ at: c.lastActivityAt, id: c.id }))
  }),
)
