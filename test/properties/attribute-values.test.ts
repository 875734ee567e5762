import { Effect, Layer } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { createKyselyDatabase } from "../../src/adapters/kysely/create-database"
import { makeKyselyStorage } from "../../src/adapters/kysely/kysely-storage"
import { migrateToLatest } from "../../src/adapters/kysely/migrations"
import { memoryStorage } from "../../src/adapters/memory"
import { memoryTelephony } from "../../src/adapters/memory/memory-telephony"
import { AttributeType, type AttributeValue } from "../../src/domain/attribute/attribute-definition"
import { valueFitsDefinition } from "../../src/domain/attribute/normalize-attribute-value"
import { isRmcError } from "../../src/domain/shared/errors"
import { createRmc } from "../../src/facade/create-rmc"
import { Storage } from "../../src/ports/storage"
import type { RmcApi } from "../../src/use-cases/catalog"
import { attributeValue } from "../../src/testing"

const numRuns = Number(process.env.RMC_NUM_RUNS ?? 60)

const option = fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,7}$/)
const definitionArbitrary = fc.record({
  type: fc.constantFrom(...AttributeType.options),
  target: fc.constantFrom("contact" as const, "conversation" as const),
  options: fc.uniqueArray(option, { minLength: 1, maxLength: 3, selector: (o) => o.toLowerCase() }),
  required: fc.boolean(),
})
type DefinitionSeed = typeof definitionArbitrary extends fc.Arbitrary<infer A> ? A : never

// Any value at all, fitting or not: the API must refuse what does not fit.
const anyValue: fc.Arbitrary<AttributeValue | null> = fc.oneof(
  fc.constant(null),
  fc.string({ maxLength: 12 }),
  fc.double({ noNaN: true }),
  fc.boolean(),
  fc.constantFrom("2026-02-29", "2028-02-29", "gold", "+33612345678", "06 12 34 56 78", "x@y.io", "https://example.com", ""),
)

const command = (definitions: ReadonlyArray<DefinitionSeed>) => {
  const index = fc.nat({ max: definitions.length - 1 })
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({
        kind: fc.constant("set" as const),
        subject: fc.constantFrom("contact" as const, "conversation" as const),
        values: fc.array(
          fc.tuple(
            fc.oneof(
              index.map((i) => `a${i}`),
              fc.constant("unknown_key"),
            ),
            fc.oneof(
              anyValue,
              index.chain((i) => attributeValue(definitions[i]!)),
            ),
          ),
          { minLength: 1, maxLength: 4 },
        ),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("archive" as const), index }) },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant("update" as const),
        index,
        addOptions: fc.option(fc.array(option, { minLength: 1, maxLength: 2 }), { nil: undefined }),
        required: fc.option(fc.boolean(), { nil: undefined }),
      }),
    },
  )
}

const scenario = fc
  .array(definitionArbitrary, { minLength: 1, maxLength: 4 })
  .chain((definitions) => fc.tuple(fc.constant(definitions), fc.array(command(definitions), { minLength: 1, maxLength: 15 })))

/** Every stored value of both records fits its definition as it stands (type, options, target). */
const checkStoredValues = async (api: RmcApi, subjects: Record<"contact" | "conversation", string>) => {
  const definitions = new Map((await api.listAttributes({ includeArchived: true, limit: 100 })).items.map((d) => [d.key, d]))
  for (const kind of ["contact", "conversation"] as const) {
    const { values } = await api.getAttributes({ subject: { kind, id: subjects[kind] } })
    for (const [key, value] of Object.entries(values)) {
      const definition = definitions.get(key)
      expect(definition, key).toBeDefined()
      expect(definition!.target, key).toBe(kind)
      expect(valueFitsDefinition(definition!, value), `${key} = ${JSON.stringify(value)} (${definition!.type} ${definition!.options})`).toBe(true)
    }
  }
}

// The memory store and SQLite (a store of its own per run, in memory), which reads values back from their columns.
const sqliteStorage = () =>
  Layer.effect(
    Storage,
    Effect.promise(async () => {
      const database = await createKyselyDatabase({ dialect: "sqlite", path: ":memory:" })
      await migrateToLatest(database.db, { dialect: database.dialect })
      return makeKyselyStorage({ db: database.db, dialect: database.dialect })
    }),
  )
const stores = [
  ["memory", memoryStorage, numRuns],
  ["SQLite", sqliteStorage, Math.max(1, Math.floor(numRuns / 3))],
] as const

describe.each(stores)("custom attribute values on the %s store", (_, storage, runs) => {
  it("never violate their definition, whatever agents set and admins change afterwards", async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ([definitions, commands]) => {
        const rmc = createRmc({ storage: storage(), telephony: memoryTelephony() })
        try {
          const admin = rmc.as({ tenantId: "acme", agentId: "root", role: "admin" })
          const agent = rmc.as({ tenantId: "acme", agentId: "alice", role: "agent" })
          const ids: Array<string> = []
          for (const [i, d] of definitions.entries()) {
            const defined = await admin.defineAttribute({
              key: `a${i}`,
              label: `A${i}`,
              type: d.type,
              target: d.target,
              ...(d.type === "enum" && { options: d.options }),
              required: d.required,
            })
            ids.push(defined.id)
          }
          const contact = await agent.createContact({ fullName: "Camille Martin" })
          const conversation = await agent.openConversation({ contactId: contact.id, channel: "sms" })
          const subjects = { contact: contact.id, conversation: conversation.id }
          for (const c of commands) {
            const before = c.kind === "set" ? await agent.getAttributes({ subject: { kind: c.subject, id: subjects[c.subject] } }) : undefined
            try {
              if (c.kind === "set") {
                await agent.setAttributes({ subject: { kind: c.subject, id: subjects[c.subject] }, values: Object.fromEntries(c.values) })
              } else if (c.kind === "archive") {
                await admin.archiveAttribute({ attributeId: ids[c.index]! })
              } else {
                await admin.updateAttribute({ attributeId: ids[c.index]!, addOptions: c.addOptions, required: c.required })
              }
            } catch (error) {
              // Refusals are typed, and a refused set leaves the record as it was.
              expect(isRmcError(error), String(error)).toBe(true)
              expect((error as { code: string }).code).toMatch(/^(attribute_invalid|archived|validation_failed)$/)
              if (before !== undefined) expect(await agent.getAttributes({ subject: before.subject })).toEqual(before)
            }
            await checkStoredValues(agent, subjects)
          }
        } finally {
          await rmc.dispose()
        }
      }),
      { numRuns: runs },
    )
  })
})
