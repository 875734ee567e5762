import { fc, test } from "@fast-check/vitest"
import { Effect, Layer } from "effect"
import { afterAll, describe, expect } from "vitest"
import { createKyselyDatabase } from "../../src/adapters/kysely/create-database"
import { kyselyStorage } from "../../src/adapters/kysely/kysely-storage"
import { migrateToLatest } from "../../src/adapters/kysely/migrations"
import { memoryStorage } from "../../src/adapters/memory/memory-storage"
import { memoryTelephony } from "../../src/adapters/memory/memory-telephony"
import { createRmc, type Rmc } from "../../src/facade/create-rmc"
import { type OperationName, operations, type RmcApi } from "../../src/use-cases/catalog"
import { invalidInput, seedInputContext, validInput } from "../../src/testing"

// `npm run test:kit` runs 1,000 of each; `npm test` 25, to stay fast.
const numRuns = Number(process.env.RMC_KIT_RUNS ?? 25)
// `RMC_KIT_SHARD=2/8` runs every eighth operation from the second: `npm run test:kit` runs the shards
// in processes of their own, since a process that runs every operation's 1,000 tenants outgrows its heap.
const [shard, shards] = (process.env.RMC_KIT_SHARD ?? "1/1").split("/").map(Number) as [number, number]
const names = (Object.keys(operations) as Array<OperationName>).filter((_, i) => i % shards === shard - 1)

// Tenant settings for the seed: any that configureTenant accepts, but with a transition for
// transformContact to follow (a tenant without any has no accepted transformContact input).
const settingsFor = (name: OperationName) =>
  name === "transformContact"
    ? validInput("configureTenant").filter((s) => s.transitions === undefined || s.transitions.length > 0)
    : validInput("configureTenant")

const call = (api: RmcApi, name: OperationName, input: unknown): Promise<unknown> => (api[name] as (input: unknown) => Promise<unknown>)(input)

const sqliteStorage = Layer.unwrap(
  Effect.gen(function* () {
    const { db, dialect } = yield* Effect.acquireRelease(
      Effect.promise(() => createKyselyDatabase({ dialect: "sqlite", path: ":memory:" })),
      (database) => Effect.promise(() => database.destroy()),
    )
    yield* Effect.promise(() => migrateToLatest(db, { dialect }))
    return kyselyStorage({ db, dialect })
  }),
)

const stores: ReadonlyArray<[string, () => Rmc]> = [
  ["memory", () => createRmc({ storage: memoryStorage(), telephony: memoryTelephony() })],
  ["SQLite", () => createRmc({ storage: sqliteStorage, telephony: memoryTelephony() })],
]

for (const [store, open] of stores) {
  describe(`the kit's inputs on the ${store} store`, () => {
    // A store per operation: 1,000 seeded tenants of every operation in one store outgrow the heap.
    let rmc: Rmc | undefined
    let current: OperationName | undefined
    afterAll(() => rmc?.dispose())
    const storeFor = async (name: OperationName) => {
      if (rmc !== undefined && current === name) return rmc
      await rmc?.dispose()
      current = name
      rmc = open()
      return rmc
    }
    let tenants = 0
    // Every run gets a tenant of its own, seeded afresh: an input is meant for the records as seeded.
    const admin = async (name: OperationName) =>
      (await storeFor(name)).as({ tenantId: `kit-${store.toLowerCase()}-${++tenants}`, agentId: "root", role: "admin" })

    for (const name of names) {
      test.prop([fc.gen()], { numRuns, endOnFailure: true })(`${name}: every valid input is accepted`, async (g) => {
        const api = await admin(name)
        const context = await seedInputContext(api, { settings: g(() => settingsFor(name)) })
        const input = g(() => validInput(name, context))
        await expect(call(api, name, input)).resolves.toBeDefined()
      })

      test.prop([invalidInput(name)], { numRuns, endOnFailure: true })(`${name}: every invalid input is refused with a ValidationError`, async (input) => {
        await expect(call(await admin(name), name, input)).rejects.toMatchObject({ _tag: "ValidationError", code: "validation_failed" })
      })
    }
  })
}
