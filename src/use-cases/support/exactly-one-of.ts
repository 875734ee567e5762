import type * as z from "zod"

/**
 * Requires exactly one of `sets` of keys in an object input, each set given whole (a channel with
 * its handle). At run time it is a refinement: one issue, `message`, at the first key of the first
 * set. Its JSON Schema says the same with `oneOf` one `required` set per set of keys, so that
 * documents and the clients generated from them refuse an input with none, or with two.
 *
 * @internal
 */
export const exactlyOneOf = <S extends z.ZodObject, const K extends keyof S["shape"] & string>(
  schema: S,
  sets: readonly [readonly [K, ...Array<K>], readonly [K, ...Array<K>], ...Array<readonly [K, ...Array<K>]>],
  message: string,
): S =>
  schema
    .refine(
      (input: Record<string, unknown>) => {
        const touched = sets.filter((set) => set.some((key) => input[key] !== undefined))
        return touched.length === 1 && touched[0]!.every((key) => input[key] !== undefined)
      },
      { message, path: [sets[0][0]] },
    )
    .meta({ oneOf: sets.map((set) => ({ required: [...set] })) })
