import { Effect } from "effect"
import type { Note } from "../../domain/note/note"
import { ForbiddenError, type NotFoundError, type StorageError } from "../../domain/shared/errors"
import { hasRole, type Principal } from "../../domain/shared/principal"
import type { StorageRepositories } from "../../ports/storage"
import { orNotFound } from "./find"

/**
 * Reads a note that `principal` is about to edit or delete: only its author, a supervisor or an
 * admin may.
 *
 * @internal
 */
export const noteForChange = (
  r: StorageRepositories,
  principal: Principal,
  operation: "editNote" | "deleteNote",
  noteId: string,
): Effect.Effect<Note, StorageError | NotFoundError | ForbiddenError> =>
  Effect.flatMap(orNotFound("note", noteId)(r.notes.get(principal.tenantId, noteId)), (note) =>
    note.authorId !== principal.agentId && !hasRole(principal, "supervisor")
      ? Effect.fail(new ForbiddenError({ message: "Only the note's author, a supervisor or an admin can change a note", operation }))
      : Effect.succeed(note),
  )
