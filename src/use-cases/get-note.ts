import { Effect } from "effect"
import { NotFoundError } from "../domain/shared/errors"
import { canReadNote } from "../domain/visibility/can-read-note"
import { noteAsReadBy } from "../domain/visibility/note-as-read-by"
import { Storage } from "../ports/storage"
import { orNotFound } from "./support/find"
import { defineUseCase } from "./support/use-case"
import { visibilityOf } from "./support/visibility"

/**
 * Reads a note with its revisions. A deleted note is visible to supervisors and admins only (for
 * audits); to an agent it no longer exists. An agent reads a live note under the tenant's
 * visibility rules (see `canReadNote`), without its earlier revisions (`noteAsReadBy`); a note they
 * do not read answers `not_found`.
 *
 * @example
 * ```ts
 * import { getNote } from "rmc-details"
 * const program = getNote({ tenantId: "acme", agentId: "sam", role: "supervisor" },
 *   { noteId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11" })
 * ```
 */
export const getNote = defineUseCase("getNote", (principal, input) =>
  Effect.gen(function* () {
    const storage = yield* Storage
    return yield* storage.query((r) =>
      Effect.gen(function* () {
        const note = yield* orNotFound("note", input.noteId)(r.notes.get(principal.tenantId, input.noteId))
        const rules = yield* visibilityOf(r, principal)
        const conversation =
          note.subject.kind === "conversation" && principal.role === "agent" ? yield* r.conversations.get(principal.tenantId, note.subject.id) : null
        const readable =
          note.subject.kind === "conversation" && principal.role === "agent"
            ? conversation !== null && canReadNote(principal, rules, note, conversation)
            : canReadNote(principal, rules, note, null)
        if (!readable) return yield* new NotFoundError({ message: `note ${note.id} not found`, entity: "note", id: note.id })
        return noteAsReadBy(principal, note)
      }),
    )
  }),
)
