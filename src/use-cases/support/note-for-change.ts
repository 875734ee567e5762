import { Effect } from "effect"
import type { Note } from "../../domain/note/note"
import { ForbiddenError, type NotFoundError, type StorageError, type VersionConflictError } from "../../domain/shared/errors"
import { hasRole, type Principal } from "../../domain/shared/principal"
import type { StorageRepositories } from "../../ports/storage"
import { expectVersion } from "./expect-version"
import { orNotFound } from "./find"

/**
 * Reads a note that `principal` is about to edit or delete: only its author, a supervisor or an
 * admin may, and only at the version the caller last saw (when given).
 *
 * @internal
 */
export const noteForChange = (
  r: StorageRepositories,
  principal: Principal,
  operation: "editNote" | "deleteNote",
  noteId: string,
  expectedVersion: number | undefined,
): Effect.Effect<Note, StorageError | NotFoundError | ForbiddenError | VersionConflictError> =>
  Effect.gen(function* () {
    const note = yield* orNotFound("note", noteId)(r.notes.get(principal.tenantId, noteId))
    if (note.authorId !== principal.agentId && !hasRole(principal, "supervisor")) {
      return yield* new ForbiddenError({
        message: "Only the note's author, a supervisor or an admin can change a note",
        operation,
      })
    }
    yield* expectVersion("note", note.id, expectedVersion, note.version)
    return note
  })
