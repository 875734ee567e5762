import { Effect } from "effect"
import { editNoteTransition } from "../domain/note/edit-note-transition"
import { NotFoundError } from "../domain/shared/errors"
import { runCommand } from "./support/command"
import { noteForChange } from "./support/note-for-change"
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
  runCommand(principal, (r) => noteForChange(r, principal, "editNote", input.noteId))({
    expectedVersion: { entity: "note", version: input.expectedVersion },
    transition: (note, { r, now }) =>
      Effect.gen(function* () {
        yield* writableContact(r, principal.tenantId, note.contactId)
        if (note.deletedAt !== null) {
          return yield* new NotFoundError({ message: `note ${note.id} was deleted`, entity: "note", id: note.id })
        }
        return editNoteTransition(note, { body: input.body, by: principal.agentId, at: now })
      }),
    save: (r, next) => r.notes.update(next),
  }),
)
