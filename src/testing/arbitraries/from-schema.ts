import fc from "fast-check"
import * as z from "zod"

type Def = { readonly type: string; readonly [key: string]: unknown }
type Check = { readonly _zod: { readonly def: { readonly check: string; readonly [key: string]: unknown } } }

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def

const checksOf = (def: Def): ReadonlyArray<Check["_zod"]["def"]> => ((def.checks as ReadonlyArray<Check> | undefined) ?? []).map((c) => c._zod.def)

// In the past of any clock set after 2025: operations refuse a caller's time too far ahead of their clock.
const isoDate = fc
  .date({ min: new Date("2000-01-01T00:00:00.000Z"), max: new Date("2025-12-31T23:59:59.999Z"), noInvalidDate: true })
  .map((d) => d.toISOString())

const stringArbitrary = (def: Def): fc.Arbitrary<string> => {
  let min = 0
  let max = 40
  let pattern: RegExp | undefined
  // A format schema (z.uuid(), z.email(), z.iso.datetime()...) carries its format on its own def.
  const own: ReadonlyArray<Check["_zod"]["def"]> = typeof def.format === "string" ? [{ check: "string_format", format: def.format, pattern: def.pattern }] : []
  for (const check of [...own, ...checksOf(def)]) {
    if (check.check === "min_length") min = Math.max(min, check.minimum as number)
    if (check.check === "max_length") max = check.maximum as number
    if (check.check === "string_format") {
      const format = check.format as string
      if (format === "uuid") return fc.uuid({ version: 7 })
      if (format === "email") return fc.stringMatching(/^[a-z0-9_+-]{1,20}@[a-z0-9]{1,15}\.[a-z]{2,6}$/)
      if (format === "datetime") return isoDate
      if (format === "date") return isoDate.map((d) => d.slice(0, 10))
      if (format === "regex") pattern = check.pattern as RegExp
    }
  }
  const base = pattern === undefined ? fc.string({ minLength: min, maxLength: Math.max(min, Math.min(max, 40)) }) : fc.stringMatching(pattern)
  return base.map((s) => s.trim()).filter((s) => s.length >= min && s.length <= max)
}

const numberArbitrary = (def: Def): fc.Arbitrary<number> => {
  let min = -1_000_000
  let max = 1_000_000
  let integer = false
  for (const check of checksOf(def)) {
    if (check.check === "greater_than") min = Math.max(min, (check.value as number) + (check.inclusive === true ? 0 : 1))
    if (check.check === "less_than") max = Math.min(max, (check.value as number) - (check.inclusive === true ? 0 : 1))
    if (check.check === "number_format") integer = true
  }
  return integer ? fc.integer({ min, max }) : fc.double({ min, max, noNaN: true, noDefaultInfinity: true })
}

const build = (schema: z.ZodType): fc.Arbitrary<unknown> => {
  const def = defOf(schema)
  // A schema whose values no pattern describes (a refinement against a runtime's data, such as a
  // time zone) names examples of them: they stand for its values.
  const examples = z.globalRegistry.get(schema)?.examples
  if (Array.isArray(examples) && examples.length > 0) return fc.constantFrom(...examples)
  switch (def.type) {
    case "string":
      return stringArbitrary(def)
    case "number":
      return numberArbitrary(def)
    case "boolean":
      return fc.boolean()
    case "literal":
      return fc.constantFrom(...(def.values as ReadonlyArray<unknown>))
    case "enum":
      return fc.constantFrom(...Object.values(def.entries as Record<string, string>))
    case "array": {
      let minLength = 0
      let maxLength = 4
      for (const check of checksOf(def)) {
        if (check.check === "min_length") minLength = check.minimum as number
        if (check.check === "max_length") maxLength = Math.min(maxLength, check.maximum as number)
      }
      return fc.array(build(def.element as z.ZodType), { minLength, maxLength: Math.max(minLength, maxLength) })
    }
    case "union":
      return fc.oneof(...(def.options as ReadonlyArray<z.ZodType>).map(build))
    case "tuple":
      return fc.tuple(...(def.items as ReadonlyArray<z.ZodType>).map(build))
    case "object": {
      const shape = def.shape as Record<string, z.ZodType>
      const required: Array<string> = []
      for (const [key, value] of Object.entries(shape)) {
        const t = defOf(value).type
        if (t !== "optional" && t !== "default") required.push(key)
      }
      return fc.record(Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, build(v)])), { requiredKeys: required as never })
    }
    case "record":
      return fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), build(def.valueType as z.ZodType), { maxKeys: 3 })
    case "optional":
    case "default":
    case "prefault":
      return build(def.innerType as z.ZodType)
    case "nullable":
      return fc.option(build(def.innerType as z.ZodType), { nil: null })
    case "pipe":
      return build(def.in as z.ZodType)
    case "unknown":
    case "any":
      return fc.jsonValue()
    default:
      throw new Error(`No arbitrary for zod type ${def.type}`)
  }
}

/**
 * An arbitrary of the values that a zod schema accepts, derived from the schema itself (objects,
 * arrays, strings with their lengths, formats and patterns, numbers, enums, optional and nullable
 * fields, and the `examples` of a schema's metadata where it has some) and filtered by the schema,
 * so refinements hold too. The values are the schema's input:
 * feed them to the operation that owns the schema. Date-times fall between 2000 and 2025, so that
 * the times a caller gives are not ahead of the clock of an operation.
 *
 * @example
 * ```ts
 * import fc from "fast-check"
 * import { AddNoteInput } from "rmc-details"
 * import { arbitraryFromSchema } from "rmc-details/testing"
 * fc.sample(arbitraryFromSchema(AddNoteInput), 3)
 * ```
 */
export const arbitraryFromSchema = <S extends z.ZodType>(schema: S): fc.Arbitrary<z.input<S>> =>
  build(schema).filter((value) => schema.safeParse(value).success) as fc.Arbitrary<z.input<S>>
