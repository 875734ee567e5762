import { Effect } from "effect"
import { encodeNameCursor, pageReadLimit, pageRows } from "../domain/shared/page"
import { Storage } from "../ports/storage"
import { readNameCursor } from "./support/paging"
import { defineUseCase } from "./support/use-case"

/**
 * The tenant's stored agent directory, one page at a time, by agent id: active agents only unless
 * `includeInactive`, and with `departmentId` only that department's members.
 *
 * @example
 * ```ts
 * import { listAgents } from "rmc-details"
 * const program = listAgents({ tenantId: "acme", agentId: "alice", role: "agent" }, { limit: 50 })
 * ```
 */
export const listAgents = defineUseCase("listAgents", (principal, input) =>
  Effect.gen(function* () {
    const storage = yield* Storage
    const after = yield* readNameCursor(input.cursor)
    const rows = yield* storage.query((r) =>
      r.agents.list(principal.tenantId, {
        includeInactive: input.includeInactive,
        departmentIds: input.departmentId === undefined ? undefined : [input.departmentId],
        limit: pageReadLimit(input.limit),
        after: after?.id,
      }),
    )
    const { items, hasNext } = pageRows(rows, input.limit)
    const last = items.at(-1)
    return { items, nextCursor: hasNext && last !== undefined ? encodeNameCursor({ name: last.id, id: last.id }) : null }
  }),
)
