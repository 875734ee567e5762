import type * as z from "zod"
import { ValidationError } from "../../domain/shared/errors"

type Def = { readonly type: string; readonly innerType?: z.ZodType; readonly in?: z.ZodType; readonly element?: z.ZodType }

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def

// Wrappers that change neither the type of the value nor how a query string spells it.
const transparent = new Set(["optional", "default", "prefault", "nullable", "readonly", "catch", "nonoptional"])

const unwrap = (schema: z.ZodType): z.ZodType => {
  const def = defOf(schema)
  if (transparent.has(def.type)) return unwrap(def.innerType!)
  // A pipe (a transform, a preprocess) reads what its input schema accepts.
  if (def.type === "pipe") return unwrap(def.in!)
  return schema
}

const numeric = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i

/** Converts one query-string value to what a scalar schema expects; a value that does not convert stays a string. */
const scalar = (schema: z.ZodType): ((value: string) => unknown) => {
  switch (defOf(unwrap(schema)).type) {
    case "number":
      return (value) => (numeric.test(value) ? Number(value) : value)
    case "boolean":
      return (value) => (value === "true" ? true : value === "false" ? false : value)
    case "bigint":
      return (value) => (/^[+-]?\d+$/.test(value) ? BigInt(value) : value)
    case "date":
      return (value) => {
        const date = new Date(value)
        return Number.isNaN(date.getTime()) ? value : date
      }
    default:
      return (value) => value
  }
}

type FieldReader = (values: ReadonlyArray<string>, name: string) => unknown

const fieldReader = (schema: z.ZodType): FieldReader => {
  const inner = unwrap(schema)
  const def = defOf(inner)
  if (def.type === "array") {
    // `?status=open&status=pending`: each occurrence is one element (OpenAPI's form style, exploded).
    const element = scalar(def.element!)
    return (values) => values.map(element)
  }
  const one = scalar(inner)
  return (values, name) => {
    if (values.length > 1) {
      throw new ValidationError({
        message: `Query parameter ${JSON.stringify(name)} is given more than once`,
        issues: [{ path: [name], message: "given more than once" }],
      })
    }
    return one(values[0]!)
  }
}

/**
 * The reader of an operation's query string, derived once from its input schema: each parameter is
 * converted to the type its field expects (numbers, booleans, dates, arrays from repeated
 * parameters); a value that does not convert stays a string, so that validating the input reports
 * it at the parameter's name. A parameter that is not a field of the input is refused with a
 * `ValidationError` (400): names are looked up as the schema's own fields, so `__proto__`,
 * `constructor` or `toString` are unknown parameters like any other.
 *
 * @internal
 */
export const queryReader = (schema: z.ZodType): ((query: Readonly<Record<string, ReadonlyArray<string>>>) => Record<string, unknown>) => {
  const shape = (schema as unknown as { shape?: Record<string, z.ZodType> }).shape ?? {}
  const readers = new Map(Object.entries(shape).map(([key, field]) => [key, fieldReader(field)] as const))
  return (query) => {
    const names = Object.keys(query)
    const unknown = names.filter((name) => !readers.has(name))
    if (unknown.length > 0) {
      throw new ValidationError({
        message: `Unknown query parameter ${JSON.stringify(unknown[0])}${unknown.length > 1 ? ` (and ${unknown.length - 1} more)` : ""}`,
        issues: unknown.map((name) => ({ path: [name], message: "unknown query parameter" })),
      })
    }
    const input: Record<string, unknown> = {}
    for (const name of names) input[name] = readers.get(name)!(query[name]!, name)
    return input
  }
}
