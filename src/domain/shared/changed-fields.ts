/**
 * The values of `fields` that differ between `before` and `after` (compared as JSON, so arrays
 * and objects compare by content), as the `before` and `after` of an activity event; `null` when
 * none differs.
 *
 * @example
 * ```ts
 * import { changedFields } from "rmc-details"
 * changedFields({ a: 1, b: 2 }, { a: 1, b: 3 }, ["a", "b"]) // { before: { b: 2 }, after: { b: 3 } }
 * ```
 */
export const changedFields = <T, K extends keyof T & string>(
  before: T,
  after: T,
  fields: ReadonlyArray<K>,
): { readonly before: Record<string, unknown>; readonly after: Record<string, unknown> } | null => {
  const changed = fields.filter((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]))
  return changed.length === 0
    ? null
    : { before: Object.fromEntries(changed.map((f) => [f, before[f]])), after: Object.fromEntries(changed.map((f) => [f, after[f]])) }
}
