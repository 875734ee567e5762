import { Effect } from "effect"
import { noteAsReadBy } from "../domain/visibility/note-as-read-by"
import { type NoteReadScope, noteReadScope } from "../domain/visibility/note-read-scope"
import { Storage } from "../ports/storage"
import { readCursor, toPage } from "./support/paging"
import { liveContact } from "./support/live-contact"
import { defineUseCase } from "./support/use-case"
import { readableConversation, visibilityOf } from "./support/visibility"
import { pageReadLimit } from "../domain/shared/page"

/**
 * The live notes of a contact or of a conversation, newest first, cursor-paginated: those the
 * principal reads under the tenant's visibility rules (see `noteReadScope`). A conversation the
 * principal does not read answers `not_found`.
 *
 * @example
 * ```ts
 * import { listNotes } from "rmc-details"
 * const program = listNotes({ tenantId: "acme", agentId: "alice", role: "agent" },
 *   { subject: { kind: "contact", id: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11" }, limit: 20 })
 * ```
 */
export const listNotes = defineUseCase("listNotes", (principal, input) =>
  Effect.gen(function* () {
    const storage = yield* Storage
    const { subject } = input
    const after = yield* readCursor(input.cursor)
    return yield* storage.query((r) =>
      Effect.gen(function* () {
        let scope: NoteReadScope
        if (subject.kind === "contact") {
          yield* liveContact(subject.id)(r.contacts.get(principal.tenantId, subject.id))
          scope = noteReadScope(principal, yield* visibilityOf(r, principal), { kind: "contact" })
        } else {
          const { conversation, rules } = yield* readableConversation(r, principal, subject.id)
          scope = noteReadScope(principal, rules, { kind: "conversation", conversation })
        }
        const rows =
          scope === "none"
            ? []
            : yield* r.notes.listBySubject(
                principal.tenantId,
                subject,
                { limit: pageReadLimit(input.limit), after },
                scope === "own" ? principal.agentId : undefined,
              )
        return toPage(
          rows.map((note) => noteAsReadBy(principal, note)),
          input.limit,
          (n) => ({ at: n.createdAt, id: n.id }),
        )
      }),
    )
  }),
)
