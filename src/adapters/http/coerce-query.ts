import type * as z from "zod"

const kindOf = (schema: z.ZodType): string => {
  const def = (schema as unknown as { _zod: { def: { type: string; innerType?: z.ZodType; in?: z.ZodType } } })._zod.def
  if (def.type === "optional" || def.type === "default" || def.type === "nullable" || def.type === "prefault") return kindOf(def.innerType!)
  if (def.type === "pipe") return kindOf(def.in!)
  return def.type
}

/**
 * Turns query-string values into the types the input schema expects (numbers, booleans); a value
 * that does not convert stays a string, so validation reports it.
 *
 * @example
 * ```ts
 * import { GetDetailsInput } from "rmc-details"
 * import { coerceQuery } from "rmc-details/http"
 * coerceQuery(GetDetailsInput, { historyLimit: "5" }) // { historyLimit: 5 }
 * ```
 */
export const coerceQuery = (schema: z.ZodType, query: Record<string, string>): Record<string, unknown> => {
  const shape = (schema as unknown as { shape?: Record<string, z.ZodType> }).shape ?? {}
  return Object.fromEntries(
    Object.entries(query).map(([key, value]) => {
      const field = shape[key]
      const kind = field === undefined ? "string" : kindOf(field)
      if (kind === "number" && /^-?\d+(\.\d+)?$/.test(value)) return [key, Number(value)]
      if (kind === "boolean" && (value === "true" || value === "false")) return [key, value === "true"]
      return [key, value]
    }),
  )
}
