import { Effect } from "effect"
import { type EntityKind, NotFoundError, type StorageError } from "../../domain/shared/errors"

/**
 * Turns a `null` read into a {@link NotFoundError}: the same answer for a record that does not
 * exist and for one of another tenant.
 *
 * @internal
 */
export const orNotFound =
  (entity: EntityKind, id: string) =>
  <A>(read: Effect.Effect<A | null, StorageError>): Effect.Effect<A, StorageError | NotFoundError> =>
    Effect.flatMap(read, (found) =>
      found === null ? Effect.fail(new NotFoundError({ message: `${entity} ${id} not found`, entity, id })) : Effect.succeed(found),
    )
