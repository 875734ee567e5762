import { Effect } from "effect"
import { type EntityKind, VersionConflictError } from "../../domain/shared/errors"

/**
 * Fails with a {@link VersionConflictError} when the caller read an older version than the stored
 * one. `expected` is optional: without it, the store's own compare-and-set still refuses a write
 * that raced with another.
 *
 * @internal
 */
export const expectVersion = (entity: EntityKind, id: string, expected: number | undefined, actual: number): Effect.Effect<void, VersionConflictError> =>
  expected === undefined || expected === actual
    ? Effect.void
    : Effect.fail(
        new VersionConflictError({
          message: `${entity} ${id} is at version ${actual}, not ${expected}: read it again`,
          entity,
          id,
          expected,
          actual,
        }),
      )
