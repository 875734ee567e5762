import * as z from "zod"

/**
 * Requires at least one of `keys` in an object input. At run time it is a refinement: one issue,
 * `message`, at the first key. Its JSON Schema says the same with `anyOf` one `required` set per
 * key, so that documents and the clients generated from them refuse an input with none of them.
 *
 * @internal
 */
export const atLeastOneOf = <S extends z.ZodObject, const K extends keyof S["shape"] & string>(
  schema: S,
  keys: readonly [K, K, ...Array<K>],
  message: string,
): S =>
  schema
    .refine((input: Record<string, unknown>) => keys.some((key) => input[key] !== undefined), { message, path: [keys[0]] })
    .meta({ anyOf: keys.map((key) => ({ required: [key] })) })

/**
 * The keys of which an object input made with {@link atLeastOneOf} needs one, or none.
 *
 * @internal
 */
export const atLeastOneOfKeys = (schema: z.ZodType): ReadonlyArray<string> => {
  const anyOf = z.globalRegistry.get(schema)?.anyOf
  return Array.isArray(anyOf) ? anyOf.flatMap((set: { required?: ReadonlyArray<string> }) => set.required ?? []) : []
}
