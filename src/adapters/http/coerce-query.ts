import type * as z from "zod"
import { ValidationError } from "../../domain/shared/errors"

const kindOf = (schema: z.ZodType): string => {
  const def = (schema as unknown as { _zod: { def: { type: string; innerType?: z.ZodType; in?: z.ZodType } } })._zod.def
  if (def.type === "optional" || def.type === "default" || def.type === "nullable" || def.type === "prefault") return kindOf(def.innerType!)
  if (def.type === "pipe") return kindOf(def.in!)
  return def.type
}

/**
 * Turns query-string values into the types the input schema expects (numbers, booleans); a value
 * that does not convert stays a string, so validation reports it. A parameter that is not a field
 * of the input is refused with a `ValidationError` (400): names are looked up as the schema's own
 * fields, so `__proto__`, `constructor` or `toString` are unknown parameters like any other.
 *
 * @internal
 */
export const coerceQuery = (schema: z.ZodType, query: Record<string, string>): Record<string, unknown> => {
  const shape = (schema as unknown as { shape?: Record<string, z.ZodType> }).shape ?? {}
  const unknown = Object.keys(query).filter((key) => !Object.hasOwn(shape, key))
  if (unknown.length > 0) {
    throw new ValidationError({
      message: `Unknown query parameter ${JSON.stringify(unknown[0])}${unknown.length > 1 ? ` (and ${unknown.length - 1} more)` : ""}`,
      issues: unknown.map((key) => ({ path: [key], message: "unknown query parameter" })),
    })
  }
  return Object.fromEntries(
    Object.entries(query).map(([key, value]) => {
      const kind = kindOf(shape[key]!)
      if (kind === "number" && /^-?\d+(\.\d+)?$/.test(value)) return [key, Number(value)]
      if (kind === "boolean" && (value === "true" || value === "false")) return [key, value === "true"]
      return [key, value]
    }),
  )
}
