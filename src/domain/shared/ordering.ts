import type { CursorKey, NameCursorKey } from "./page"

/**
 * Compares two strings by UTF-16 code units, as the stores compare ids, timestamps and normalised
 * names: -1, 0 or 1.
 *
 * @example
 * ```ts
 * import { compareText } from "rmc-details"
 * ["b", "a"].sort(compareText) // ["a", "b"]
 * ```
 */
export const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/**
 * The order of every list sorted by time, newest first: by timestamp, then by id, both
 * descending (notes, conversations by last activity, activity, calls). A cursor is the key of the
 * last item read; the next page holds the items that come after it in this order.
 *
 * @example
 * ```ts
 * import { newestFirst } from "rmc-details"
 * newestFirst({ at: "2026-01-02T00:00:00.000Z", id: "a" }, { at: "2026-01-01T00:00:00.000Z", id: "b" }) // -1
 * ```
 */
export const newestFirst = (a: CursorKey, b: CursorKey): number => compareText(b.at, a.at) || compareText(b.id, a.id)

/**
 * The order of every list sorted by name, A to Z: by normalised name (or key), then by id, both
 * ascending (the catalogs, contacts by name, attribute definitions by key).
 *
 * @example
 * ```ts
 * import { nameOrder } from "rmc-details"
 * nameOrder({ name: "billing", id: "b" }, { name: "support", id: "a" }) // -1
 * ```
 */
export const nameOrder = (a: NameCursorKey, b: NameCursorKey): number => compareText(a.name, b.name) || compareText(a.id, b.id)

/**
 * The order of a volume report's rows: most conversations first, then by key, the row of
 * conversations without one (key `null`) last among equal counts.
 *
 * @example
 * ```ts
 * import { volumeOrder } from "rmc-details"
 * volumeOrder({ key: null, count: 3 }, { key: "sales", count: 3 }) // 1
 * ```
 */
export const volumeOrder = (a: { readonly key: string | null; readonly count: number }, b: { readonly key: string | null; readonly count: number }): number =>
  b.count - a.count || (a.key === b.key ? 0 : a.key === null ? 1 : b.key === null ? -1 : compareText(a.key, b.key))

/**
 * A comparator of rows that orders them by the key `keyOf` gives, in `order`.
 *
 * @example
 * ```ts
 * import { newestFirst, orderBy, type Note } from "rmc-details"
 * declare const notes: Array<Note>
 * notes.sort(orderBy(newestFirst, (n: Note) => ({ at: n.createdAt, id: n.id })))
 * ```
 */
export const orderBy =
  <A, K>(order: (a: K, b: K) => number, keyOf: (row: A) => K) =>
  (a: A, b: A): number =>
    order(keyOf(a), keyOf(b))
