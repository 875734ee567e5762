import { Effect } from "effect"
import { Storage } from "../ports/storage"
import { readNameCursor, toKeyPage } from "./support/paging"
import { defineUseCase } from "./support/use-case"
import { pageReadLimit } from "../domain/shared/page"

/**
 * The tenant's custom attribute definitions, one page at a time, sorted by key: live ones only
 * unless `includeArchived`, of one target when `target` is given.
 *
 * @example
 * ```ts
 * import { listAttributes } from "rmc-details"
 * const program = listAttributes({ tenantId: "acme", agentId: "alice", role: "agent" }, { target: "contact", limit: 50 })
 * ```
 */
export const listAttributes = defineUseCase("listAttributes", (principal, input) =>
  Effect.gen(function* () {
    const storage = yield* Storage
    const after = yield* readNameCursor(input.cursor)
    const rows = yield* storage.query((r) =>
      r.attributes.list(principal.tenantId, { includeArchived: input.includeArchived, target: input.target, limit: pageReadLimit(input.limit), after }),
    )
    return toKeyPage(rows, input.limit)
  }),
)
