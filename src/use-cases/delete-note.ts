import { deleteNoteTransition } from "../domain/note/delete-note-transition"
import { runCommand } from "./support/command"
import { noteForChange } from "./support/note-for-change"
import { defineUseCase } from "./support/use-case"

/**
 * Deletes a note (its author, a supervisor or an admin). A soft delete: the note leaves the panel and
 * the lists, but the record, its revisions and the deletion stay in the activity log. Deleting a
 * deleted note changes nothing.
 *
 * @example
 * ```ts
 * import { deleteNote } from "rmc-details"
 * const program = deleteNote({ tenantId: "acme", agentId: "alice", role: "agent" },
 *   { noteId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11" })
 * ```
 */
export const deleteNote = defineUseCase("deleteNote", (principal, input) =>
  runCommand(principal, (r) => noteForChange(r, principal, "deleteNote", input.noteId))({
    expectedVersion: { entity: "note", version: input.expectedVersion },
    transition: (note, { now }) => deleteNoteTransition(note, { by: principal.agentId, at: now }),
    save: (r, next) => r.notes.update(next),
  }),
)
