import { Effect } from "effect"
import { withoutNoteBody } from "../domain/activity/without-note-body"
import { Storage } from "../ports/storage"
import { readCursor, toPage } from "./support/paging"
import { liveContact } from "./support/live-contact"
import { defineUseCase } from "./support/use-case"
import { reachOf, visibilityOf } from "./support/visibility"
import { pageReadLimit } from "../domain/shared/page"

/**
 * The contact's activity log, newest first: changes of the contact and of all its conversations
 * (for an agent under a `department` history rule, of the conversations in their reach). Note
 * events name the note but never carry its text.
 *
 * @example
 * ```ts
 * import { contactActivity } from "rmc-details"
 * const program = contactActivity({ tenantId: "acme", agentId: "alice", role: "agent" },
 *   { contactId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11" })
 * ```
 */
export const contactActivity = defineUseCase("contactActivity", (principal, input) =>
  Effect.gen(function* () {
    const storage = yield* Storage
    const after = yield* readCursor(input.cursor)
    return yield* storage.query((r) =>
      Effect.gen(function* () {
        yield* liveContact(input.contactId)(r.contacts.get(principal.tenantId, input.contactId))
        const reach = reachOf(principal, yield* visibilityOf(r, principal))
        const rows = yield* r.activity.listByContact(principal.tenantId, input.contactId, { limit: pageReadLimit(input.limit), after }, reach)
        return toPage(rows.map(withoutNoteBody), input.limit, (e) => ({ at: e.at, id: e.id }))
      }),
    )
  }),
)
