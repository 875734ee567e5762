import { Effect } from "effect"
import { Storage } from "../ports/storage"
import { orNotFound } from "./support/find"
import { readCursor, toPage } from "./support/paging"
import { defineUseCase } from "./support/use-case"
import { pageReadLimit } from "../domain/shared/page"

/**
 * The conversation's call attempts, newest first, cursor-paginated.
 *
 * @example
 * ```ts
 * import { listCalls } from "rmc-details"
 * const program = listCalls({ tenantId: "acme", agentId: "alice", role: "agent" },
 *   { conversationId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11", limit: 20 })
 * ```
 */
export const listCalls = defineUseCase("listCalls", (principal, input) =>
  Effect.gen(function* () {
    const storage = yield* Storage
    const after = yield* readCursor(input.cursor)
    return yield* storage.query((r) =>
      Effect.gen(function* () {
        yield* orNotFound("conversation", input.conversationId)(r.conversations.get(principal.tenantId, input.conversationId))
        const rows = yield* r.calls.listByConversation(principal.tenantId, input.conversationId, { limit: pageReadLimit(input.limit), after })
        return toPage(rows, input.limit, (c) => ({ at: c.createdAt, id: c.id }))
      }),
    )
  }),
)
