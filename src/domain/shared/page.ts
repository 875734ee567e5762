import * as z from "zod"
import { text } from "./text"

/**
 * Pagination request: at most `limit` items (1 to 100, default 20) after the opaque `cursor`
 * returned by the previous page.
 *
 * @example
 * ```ts
 * import { PageRequest } from "rmc-details"
 * PageRequest.parse({ limit: 10 })
 * ```
 */
export const PageRequest = z.object({
  limit: z.number().int().min(1).max(100).default(20),
  cursor: text({ max: 512, trim: false }).optional(),
})
/** @see {@link PageRequest} */
export type PageRequest = z.input<typeof PageRequest>

/**
 * A page of items and the cursor of the next page (`null` on the last page).
 *
 * @example
 * ```ts
 * import type { Page } from "rmc-details"
 * const empty: Page<string> = { items: [], nextCursor: null }
 * ```
 */
export interface Page<A> {
  readonly items: ReadonlyArray<A>
  readonly nextCursor: string | null
}

/**
 * Builds the zod schema of a {@link Page} of `item`.
 *
 * @example
 * ```ts
 * import * as z from "zod"
 * import { pageOf } from "rmc-details"
 * const Names = pageOf(z.string())
 * ```
 */
export const pageOf = <S extends z.ZodType>(item: S) => z.object({ items: z.array(item), nextCursor: z.string().nullable() })

/**
 * How many rows a list reads from its store for a page of `limit` items: one more, whose presence
 * only tells that a next page exists (see {@link pageRows}).
 *
 * @example
 * ```ts
 * import { pageReadLimit } from "rmc-details"
 * pageReadLimit(20) // 21
 * ```
 */
export const pageReadLimit = (limit: number): number => limit + 1

/**
 * Splits the rows read with {@link pageReadLimit} into the page's items and whether a next page
 * exists.
 *
 * @example
 * ```ts
 * import { pageRows } from "rmc-details"
 * pageRows(["a", "b", "c"], 2) // { items: ["a", "b"], hasNext: true }
 * ```
 */
export const pageRows = <A>(rows: ReadonlyArray<A>, limit: number): { readonly items: Array<A>; readonly hasNext: boolean } => ({
  items: rows.slice(0, limit),
  hasNext: rows.length > limit,
})

/**
 * Position of an item in a list sorted by time then id, newest first. Stores receive it decoded;
 * callers only see it encoded as an opaque cursor.
 *
 * @example
 * ```ts
 * import { encodeCursor, decodeCursor } from "rmc-details"
 * const key = { at: "2026-01-01T00:00:00.000Z", id: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11" }
 * decodeCursor(encodeCursor(key)) // key
 * ```
 */
export interface CursorKey {
  readonly at: string
  readonly id: string
}

/**
 * Position of an item in a list sorted by name then id, A to Z (the catalogs: departments,
 * keywords, labels). `name` is the normalised name the list is sorted by.
 *
 * @example
 * ```ts
 * import { encodeNameCursor, decodeNameCursor } from "rmc-details"
 * const key = { name: "support", id: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11" }
 * decodeNameCursor(encodeNameCursor(key)) // key
 * ```
 */
export interface NameCursorKey {
  readonly name: string
  readonly id: string
}

const toBase64Url = (value: unknown): string =>
  btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(value))))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replaceAll("=", "")

const fromBase64Url = (cursor: string): unknown => {
  const binary = atob(cursor.replaceAll("-", "+").replaceAll("_", "/"))
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))))
}

/**
 * Encodes a {@link CursorKey} as an opaque, URL-safe cursor.
 *
 * @example
 * ```ts
 * import { encodeCursor } from "rmc-details"
 * encodeCursor({ at: "2026-01-01T00:00:00.000Z", id: "x" })
 * ```
 */
export const encodeCursor = (key: CursorKey): string => toBase64Url([key.at, key.id])

// A cursor is opaque but not trusted: what it decodes to goes to the store, under the same text
// rules as any other input (a NUL in a cursor's id would reach PostgreSQL).
const CursorTuple = z.tuple([text({ max: 64, trim: false }), text({ max: 128, trim: false })])

/**
 * Decodes a cursor made by {@link encodeCursor}; `undefined` when it is not one.
 *
 * @example
 * ```ts
 * import { decodeCursor } from "rmc-details"
 * decodeCursor("not a cursor") // undefined
 * ```
 */
export const decodeCursor = (cursor: string): CursorKey | undefined => {
  try {
    const parsed = CursorTuple.safeParse(fromBase64Url(cursor))
    return parsed.success ? { at: parsed.data[0], id: parsed.data[1] } : undefined
  } catch {
    return undefined
  }
}

/**
 * Encodes a {@link NameCursorKey} as an opaque, URL-safe cursor; a cursor of a list sorted by time
 * is never taken for one of these, nor the reverse.
 *
 * @example
 * ```ts
 * import { encodeNameCursor } from "rmc-details"
 * encodeNameCursor({ name: "support", id: "x" })
 * ```
 */
export const encodeNameCursor = (key: NameCursorKey): string => toBase64Url(["name", key.name, key.id])

// A stored normalised name is at most 80 code points for a catalog record (see `catalogNameMaxLength`)
// and 200 for a contact (see `contactNameKey`).
const NameCursorTuple = z.tuple([z.literal("name"), text({ max: 200, trim: false }), text({ max: 128, trim: false })])

/**
 * Decodes a cursor made by {@link encodeNameCursor}; `undefined` when it is not one.
 *
 * @example
 * ```ts
 * import { decodeNameCursor } from "rmc-details"
 * decodeNameCursor("not a cursor") // undefined
 * ```
 */
export const decodeNameCursor = (cursor: string): NameCursorKey | undefined => {
  try {
    const parsed = NameCursorTuple.safeParse(fromBase64Url(cursor))
    return parsed.success ? { name: parsed.data[1], id: parsed.data[2] } : undefined
  } catch {
    return undefined
  }
}
