import { Effect } from "effect"
import { NotFoundError } from "../domain/shared/errors"
import { Storage } from "../ports/storage"
import { activityEvent } from "./support/activity"
import { noteForChange } from "./support/note-for-change"
import { currentTime } from "./support/now"
import { writableContact } from "./support/writable-contact"
import { defineUseCase } from "./support/use-case"

/**
 * Edits a note (its author, a supervisor or an admin). The earlier body is kept as a revision with
 * who replaced it and when, so a note's history is never lost. A deleted note cannot be edited.
 *
 * @example
 * ```ts
 * import { editNote } from "rmc-details"
 * const program = editNote({ tenantId: "acme", agentId: "alice", role: "agent" },
 *   { noteId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11", body: "Called back: wants a quote" })
 * ```
 */
export const editNote = defineUseCase("editNote", (principal, input) =>
  Effect.gen(function* () {
    const storage = yield* Storage
    const now = yield* currentTime
    return yield* storage.transaction((r) =>
      Effect.gen(function* () {
        const note = yield* noteForChange(r, principal, "editNote", input.noteId, input.expectedVersion)
        yield* writableContact(r, principal.tenantId, note.contactId)
        if (note.deletedAt !== null) {
          return yield* new NotFoundError({ message: `note ${note.id} was deleted`, entity: "note", id: note.id })
        }
        if (note.body === input.body) return note
        const next = {
          ...note,
          body: input.body,
          editedAt: now,
          revisions: [...note.revisions, { body: note.body, editedBy: principal.agentId, editedAt: now }],
          version: note.version + 1,
        }
        yield* r.notes.update(next)
        yield* r.activity.append([
          yield* activityEvent(principal, now, "note.edited", {
            subjectId: note.id,
            conversationId: note.subject.kind === "conversation" ? note.subject.id : null,
            contactId: note.contactId,
            before: { body: note.body },
            after: { body: next.body },
          }),
        ])
        return next
      }),
    )
  }),
)
