import { Effect } from "effect"
import { Storage } from "../ports/storage"
import { activityEvent } from "./support/activity"
import { noteForChange } from "./support/note-for-change"
import { currentTime } from "./support/now"
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
  Effect.gen(function* () {
    const storage = yield* Storage
    const now = yield* currentTime
    return yield* storage.transaction((r) =>
      Effect.gen(function* () {
        const note = yield* noteForChange(r, principal, "deleteNote", input.noteId, input.expectedVersion)
        if (note.deletedAt !== null) return note
        const next = { ...note, deletedAt: now, deletedBy: principal.agentId, version: note.version + 1 }
        yield* r.notes.update(next)
        yield* r.activity.append([
          yield* activityEvent(principal, now, "note.deleted", {
            subjectId: note.id,
            conversationId: note.subject.kind === "conversation" ? note.subject.id : null,
            contactId: note.contactId,
            before: { body: note.body },
          }),
        ])
        return next
      }),
    )
  }),
)
