import { Effect } from "effect"
import { Storage } from "../ports/storage"
import { withoutNoteBody } from "../domain/activity/without-note-body"
import { readCursor, toPage } from "./support/paging"
import { defineUseCase } from "./support/use-case"
import { readableConversation } from "./support/visibility"
import { pageReadLimit } from "../domain/shared/page"

/**
 * The conversation's activity timeline, newest first: notes, tags, department changes,
 * transfers, call attempts and their statuses. Note events name the note (`subjectId`) but never
 * carry its text: `getNote` and `listNotes` apply the visibility rules to it. A conversation the
 * principal does not read answers `not_found`.
 *
 * @example
 * ```ts
 * import { conversationActivity } from "rmc-details"
 * const program = conversationActivity({ tenantId: "acme", agentId: "alice", role: "agent" },
 *   { conversationId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11" })
 * ```
 */
export const conversationActivity = defineUseCase("conversationActivity", (principal, input) =>
  Effect.gen(function* () {
    const storage = yield* Storage
    const after = yield* readCursor(input.cursor)
    return yield* storage.query((r) =>
      Effect.gen(function* () {
        yield* readableConversation(r, principal, input.conversationId)
        const rows = yield* r.activity.listByConversation(principal.tenantId, input.conversationId, { limit: pageReadLimit(input.limit), after })
        return toPage(rows.map(withoutNoteBody), input.limit, (e) => ({ at: e.at, id: e.id }))
      }),
    )
  }),
)
