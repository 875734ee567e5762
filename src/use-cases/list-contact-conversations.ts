import { Effect } from "effect"
import { Storage } from "../ports/storage"
import { readCursor, toPage } from "./support/paging"
import { liveContact } from "./support/live-contact"
import { defineUseCase } from "./support/use-case"
import { reachOf, visibilityOf } from "./support/visibility"
import { pageReadLimit } from "../domain/shared/page"

/**
 * "User conversations": the contact's conversations on every channel, most recent activity first,
 * cursor-paginated, each with its channel, status, department and labels. For an agent under a
 * `department` history rule, only the conversations in their reach.
 *
 * @example
 * ```ts
 * import { listContactConversations } from "rmc-details"
 * const program = listContactConversations({ tenantId: "acme", agentId: "alice", role: "agent" },
 *   { contactId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11", limit: 10 })
 * ```
 */
export const listContactConversations = defineUseCase("listContactConversations", (principal, input) =>
  Effect.gen(function* () {
    const storage = yield* Storage
    const after = yield* readCursor(input.cursor)
    return yield* storage.query((r) =>
      Effect.gen(function* () {
        yield* liveContact(input.contactId)(r.contacts.get(principal.tenantId, input.contactId))
        const reach = reachOf(principal, yield* visibilityOf(r, principal))
        const rows = yield* r.conversations.listByContact(principal.tenantId, input.contactId, { limit: pageReadLimit(input.limit), after }, reach)
        return toPage(rows, input.limit, (c) => ({ at: c.lastActivityAt, id: c.id }))
      }),
    )
  }),
)
