import type { Transition } from "../shared/transition"
import { changedTo, unchanged } from "../shared/transition"
import type { Note } from "./note"
import { noteConversationId } from "./note-conversation-id"

/**
 * What editing a live note's body to `body` does: a new body keeps the earlier one as the last
 * revision, with who replaced it and when, and takes the next version; the body it already has
 * changes nothing. The event records the bodies before and after.
 *
 * @example
 * ```ts
 * import { editNoteTransition, type Note } from "rmc-details"
 * declare const note: Note
 * const t = editNoteTransition(note, { body: "Called back", by: "alice", at: "2026-01-01T00:00:00.000Z" })
 * ```
 */
export const editNoteTransition = (note: Note, edit: { readonly body: string; readonly by: string; readonly at: string }): Transition<Note> => {
  if (note.body === edit.body) return unchanged
  return changedTo(
    {
      ...note,
      body: edit.body,
      editedAt: edit.at,
      revisions: [...note.revisions, { body: note.body, editedBy: edit.by, editedAt: edit.at }],
      version: note.version + 1,
    },
    {
      type: "note.edited",
      subjectId: note.id,
      conversationId: noteConversationId(note),
      contactId: note.contactId,
      before: { body: note.body },
      after: { body: edit.body },
    },
  )
}
