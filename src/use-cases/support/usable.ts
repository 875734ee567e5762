import { Effect } from "effect"
import { ArchivedError, type EntityKind, type NotFoundError, type StorageError } from "../../domain/shared/errors"
import { orNotFound } from "./find"

/**
 * Reads a catalog record (department, keyword, label) that is about to be assigned: it must exist
 * and not be archived.
 *
 * @internal
 */
export const usable = <A extends { readonly archivedAt: string | null }>(
  entity: EntityKind,
  id: string,
  read: Effect.Effect<A | null, StorageError>,
): Effect.Effect<A, StorageError | NotFoundError | ArchivedError> =>
  Effect.flatMap(orNotFound(entity, id)(read), (found) =>
    found.archivedAt === null ? Effect.succeed(found) : Effect.fail(new ArchivedError({ message: `${entity} ${id} is archived`, entity, id })),
  )
