import { Effect } from "effect"
import { NotFoundError } from "../domain/shared/errors"
import { hasRole } from "../domain/shared/principal"
import { Storage } from "../ports/storage"
import { orNotFound } from "./support/find"
import { defineUseCase } from "./support/use-case"

/**
 * Reads a note with its revisions. A deleted note is visible to supervisors and admins only (for
 * audits); to an agent it no longer exists.
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
    const note = yield* storage.query((r) => orNotFound("note", input.noteId)(r.notes.get(principal.tenantId, input.noteId)))
    if (note.deletedAt !== null && !hasRole(principal, "supervisor")) {
      return yield* new NotFoundError({ message: `note ${note.id} not found`, entity: "note", id: note.id })
    }
    return note
  }),
)
