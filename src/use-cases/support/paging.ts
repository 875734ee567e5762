import { Effect } from "effect"
import { ValidationError } from "../../domain/shared/errors"
import {
  type CursorKey,
  decodeCursor,
  decodeNameCursor,
  encodeCursor,
  encodeNameCursor,
  type NameCursorKey,
  type Page,
  pageRows,
} from "../../domain/shared/page"

const invalidCursor = () => new ValidationError({ message: "Invalid cursor", issues: [{ path: ["cursor"], message: "not a cursor of this list" }] })

/**
 * Decodes an optional cursor given by a caller, failing with a {@link ValidationError} when it
 * is not one the SDK made.
 *
 * @internal
 */
export const readCursor = (cursor: string | undefined): Effect.Effect<CursorKey | undefined, ValidationError> => {
  if (cursor === undefined) return Effect.succeed(undefined)
  const key = decodeCursor(cursor)
  return key === undefined ? Effect.fail(invalidCursor()) : Effect.succeed(key)
}

/**
 * Decodes an optional cursor of a list sorted by name (the catalogs), failing with a
 * {@link ValidationError} when it is not one the SDK made for such a list.
 *
 * @internal
 */
export const readNameCursor = (cursor: string | undefined): Effect.Effect<NameCursorKey | undefined, ValidationError> => {
  if (cursor === undefined) return Effect.succeed(undefined)
  const key = decodeNameCursor(cursor)
  return key === undefined ? Effect.fail(invalidCursor()) : Effect.succeed(key)
}

/**
 * Builds a page from the rows a store read with `pageReadLimit(limit)` (see `pageRows`).
 *
 * @internal
 */
export const toPage = <A>(rows: ReadonlyArray<A>, limit: number, keyOf: (row: A) => CursorKey): Page<A> & { readonly items: Array<A> } =>
  pageOfRows(rows, limit, (row) => encodeCursor(keyOf(row)))

/**
 * Like {@link toPage}, for a list sorted by normalised name then id.
 *
 * @internal
 */
export const toNamePage = <A extends { readonly normalizedName: string; readonly id: string }>(
  rows: ReadonlyArray<A>,
  limit: number,
): Page<A> & { readonly items: Array<A> } => pageOfRows(rows, limit, (row) => encodeNameCursor({ name: row.normalizedName, id: row.id }))

/**
 * Like {@link toNamePage}, for a list sorted by key then id (custom attribute definitions).
 *
 * @internal
 */
export const toKeyPage = <A extends { readonly key: string; readonly id: string }>(
  rows: ReadonlyArray<A>,
  limit: number,
): Page<A> & { readonly items: Array<A> } => pageOfRows(rows, limit, (row) => encodeNameCursor({ name: row.key, id: row.id }))

const pageOfRows = <A>(rows: ReadonlyArray<A>, limit: number, cursorOf: (row: A) => string): Page<A> & { readonly items: Array<A> } => {
  const { items, hasNext } = pageRows(rows, limit)
  const last = items.at(-1)
  return { items, nextCursor: hasNext && last !== undefined ? cursorOf(last) : null }
}
