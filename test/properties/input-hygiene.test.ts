import { Effect, Layer } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type * as z from "zod"
import { makeMemoryStorage } from "../../src/adapters/memory"
import { ValidationError } from "../../src/domain/shared/errors"
import { rmcLayer } from "../../src/facade/rmc-layer"
import { Storage } from "../../src/ports/storage"
import { useCases } from "../../src/use-cases"
import { type OperationName, operations } from "../../src/use-cases/catalog"
import { arbitraryFromSchema, validInput } from "../../src/testing"

// Every string field of every operation's input, found by walking the schemas themselves: a field
// added tomorrow is checked without being listed here.
type Path = ReadonlyArray<string | number>
type Def = { readonly type: string; readonly [key: string]: unknown }
const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def

const stringFields = (schema: z.ZodType, path: Path = []): Array<{ path: Path; schema: z.ZodType }> => {
  const def = defOf(schema)
  switch (def.type) {
    case "string":
    case "enum":
    case "literal":
      return [{ path, schema }]
    case "number":
    case "boolean":
      return []
    case "object":
      return Object.entries(def.shape as Record<string, z.ZodType>).flatMap(([key, field]) => stringFields(field, [...path, key]))
    case "array":
      return stringFields(def.element as z.ZodType, [...path, 0])
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "readonly":
      return stringFields(def.innerType as z.ZodType, path)
    case "pipe":
      return stringFields(def.in as z.ZodType, path)
    // A union's strings are those of its string members (an attribute value: a string, a number or a boolean).
    case "union":
      return (def.options as ReadonlyArray<z.ZodType>).flatMap((option) => stringFields(option, path))
    // A record's values are checked at an entry of their own, under a key the record accepts (a
    // value under a refused key is not checked at all); its keys by the test below.
    case "record":
      return stringFields(def.valueType as z.ZodType, [
        ...path,
        fc.sample(arbitraryFromSchema(def.keyType as z.ZodType), { numRuns: 1, seed: 42 })[0] as string,
      ])
    default:
      throw new Error(`input-hygiene does not know zod type ${def.type} at ${path.join(".")}: teach it, so that its strings are checked`)
  }
}

const names = Object.keys(operations) as Array<OperationName>
const fields = names.flatMap((name) => stringFields(operations[name].input).map((field) => ({ name, ...field })))
const label = (f: { name: string; path: Path }) => `${f.name}.${f.path.join(".")}`

// The texts that may hold tabs and line breaks: notes, reasons, descriptions.
const multiline = [
  "transformContact.reason",
  "transferConversation.note",
  "addNote.body",
  "editNote.body",
  "createLabel.description",
  "updateLabel.description",
  "recordCallStatus.reason",
]

const sampleOf = (schema: z.ZodType): string => fc.sample(arbitraryFromSchema(schema), { numRuns: 1, seed: 42 })[0] as string
/** `value` with its second character (or its only one) replaced by `c`: same length, `c` inside. */
const spoil = (value: string, c: string): string => {
  const chars = [...value]
  if (chars.length === 0) return c
  chars[Math.min(1, chars.length - 1)] = c
  return chars.join("")
}

const setAt = (input: Record<string, unknown>, path: Path, value: unknown): Record<string, unknown> => {
  const root: Record<string | number, unknown> = structuredClone(input)
  let target: Record<string | number, unknown> = root
  for (const [i, key] of path.slice(0, -1).entries()) {
    const next = path[i + 1]
    const existing = target[key]
    const fresh = typeof next === "number" ? [] : {}
    target[key] = typeof existing === "object" && existing !== null ? existing : fresh
    target = target[key] as Record<string | number, unknown>
  }
  target[path.at(-1)!] = value
  return root
}

const admin = { tenantId: "acme", agentId: "root", role: "admin" } as const
const run = (name: OperationName, input: unknown) =>
  Effect.runPromise(
    Effect.flip((useCases[name] as unknown as (p: typeof admin, i: unknown) => Effect.Effect<unknown, unknown>)(admin, input)).pipe(
      Effect.provide(rmcLayer({ storage: Layer.succeed(Storage, makeMemoryStorage()) })),
    ) as Effect.Effect<unknown>,
  )

describe("every string field of every operation's input", () => {
  it("is found: the walk reaches the fields known to take free text", () => {
    const found = fields.map(label)
    for (const known of [
      ...multiline,
      "createKeyword.name",
      "createContact.fullName",
      "createContact.channelIdentities.0.handle",
      "searchConversations.filter.contactTypes.0",
      "listContactConversations.cursor",
      "configureTenant.contactTypes.0",
      "recordCallStatus.providerCallId",
    ]) {
      expect(found).toContain(known)
    }
    expect(fields.length).toBeGreaterThan(80)
  })

  it.each(fields.map((f) => [label(f), f] as const))("%s refuses NUL, other controls and lone surrogates", (_, field) => {
    const valid = sampleOf(field.schema)
    expect(field.schema.safeParse(valid).success).toBe(true)
    for (const bad of ["\u0000", "\u0001", "\u001B", "\u007F", "\uD800", "\uDFFF"]) {
      expect(field.schema.safeParse(spoil(valid, bad)).success, JSON.stringify(spoil(valid, bad))).toBe(false)
    }
  })

  it("holds tabs and line breaks only in notes, reasons and descriptions", () => {
    const accepting = fields.filter((f) => f.schema.safeParse("Line\tone\r\nLine two").success).map(label)
    expect(accepting.sort()).toEqual([...multiline].sort())
    for (const f of fields.filter((f) => !multiline.includes(label(f)))) {
      // Three characters or more, when the field takes them, so that the spoiled one is inside.
      const samples = fc.sample(arbitraryFromSchema(f.schema), { numRuns: 50, seed: 7 }) as Array<string>
      const valid = samples.find((s) => [...s].length >= 3) ?? samples[0]!
      for (const c of ["\t", "\n", "\r"]) expect(f.schema.safeParse(spoil(valid, c)).success, `${label(f)} ${JSON.stringify(spoil(valid, c))}`).toBe(false)
    }
  })

  it("are generated by validInput as the operations accept them: times in the past of the clock", () => {
    const latest = Date.parse("2026-01-01T00:00:00Z")
    for (const name of ["recordConversationActivity", "recordCallStatus"] as const) {
      for (const input of fc.sample(validInput(name), { numRuns: 200, seed: 3 }) as Array<{ at?: string }>) {
        if (input.at !== undefined) expect(Date.parse(input.at), input.at).toBeLessThan(latest)
      }
    }
  })

  it("refuses control characters in a record's keys too", () => {
    const input = (key: string) => ({ contactTypes: ["Client"], replaceContactTypes: { [key]: "Client" } })
    expect(operations.configureTenant.input.safeParse(input("Lead")).success).toBe(true)
    for (const bad of ["\u0000", "\u001B", "\uD800"]) {
      expect(operations.configureTenant.input.safeParse(input(`Le${bad}ad`)).success, JSON.stringify(bad)).toBe(false)
    }
  })

  it.each(names.map((name) => [name] as const))("%s answers a ValidationError naming the field that holds a NUL", async (name) => {
    const input = fc.sample(validInput(name), { numRuns: 1, seed: 1 })[0] as Record<string, unknown>
    for (const field of fields.filter((f) => f.name === name)) {
      const spoiled = setAt(input, field.path, spoil(sampleOf(field.schema), "\u0000"))
      const error = await run(name, spoiled)
      expect(error, `${label(field)}`).toBeInstanceOf(ValidationError)
      expect(
        (error as ValidationError).issues.map((issue) => issue.path.join(".")),
        label(field),
      ).toContain(field.path.join("."))
    }
  })
})
