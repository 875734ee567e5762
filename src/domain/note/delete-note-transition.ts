import type { Transition } from "../shared/transition"
import { changedTo, unchanged } from "../shared/transition"
import type { Note } from "./note"
import { noteConversationId } from "./note-conversation-id"

/**
 * What deleting a note does: a soft delete that stamps who and when and takes the next version,
 * keeping the body and revisions; a deleted note stays as it is. The event keeps the body the note
 * had, so the activity log still says what was deleted.
 *
 * @example
 * ```ts
 * import { deleteNoteTransition, type Note } from "rmc-details"
 * declare const note: Note
 * const t = deleteNoteTransition(note, { by: "alice", at: "2026-01-01T00:00:00.000Z" })
 * ```
 */
export const deleteNoteTransition = (note: Note, deletion: { readonly by: string; readonly at: string }): Transition<Note> =>
  note.deletedAt !== null
    ? unchanged
    : changedTo(
        { ...note, deletedAt: deletion.at, deletedBy: deletion.by, version: note.version + 1 },
        { type: "note.deleted", subjectId: note.id, conversationId: noteConversationId(note), contactId: note.contactId, before: { body: note.body } },
      )
