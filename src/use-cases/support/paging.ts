import { Effect } from "effect"
import { ValidationError } from "../../domain/shared/errors"
import { type CursorKey, decodeCursor, encodeCursor, type Page } from "../../domain/shared/page"

/**
 * Decodes an optional cursor given by a caller, failing with a {@link ValidationError} when it
 * is not one the SDK made.
 *
 * @internal
 */
export const readCursor = (cursor: string | undefined): Effect.Effect<CursorKey | undefined, ValidationError> => {
  if (cursor === undefined) return Effect.succeed(undefined)
  const key = decodeCursor(cursor)
  return key === undefined
    ? Effect.fail(new ValidationError({ message: "Invalid cursor", issues: [{ path: ["cursor"], message: "not a cursor of this API" }] }))
    : Effect.succeed(key)
}

/**
 * Builds a page from at most `limit + 1` rows read by a store: the extra row only tells that a
 * next page exists.
 *
 * @internal
 */
export const toPage = <A>(
  rows: ReadonlyArray<A>,
  limit: number,
  keyOf: (row: A) => CursorKey,
): Page<A> & { readonly items: Array<A> } => {
  const items = rows.slice(0, limit)
  const last = items.at(-1)
  return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null }
}
