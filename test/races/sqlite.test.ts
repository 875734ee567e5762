import { afterAll, beforeAll, describe } from "vitest"
import { type KyselyDatabase, makeKyselyStorage, migrateToLatest } from "../../src/adapters/kysely"
import type { Storage } from "../../src/ports/storage"
import { racesConformance } from "../../src/testing/conformance/race-conformance"
import { openSqlite } from "../adapters/kysely/databases"

let database: KyselyDatabase
let storage: Storage["Service"]
beforeAll(async () => {
  database = await openSqlite()
  await migrateToLatest(database.db, { dialect: database.dialect })
  storage = makeKyselyStorage({ db: database.db, dialect: database.dialect })
})
afterAll(() => database?.destroy())

describe("races", () => racesConformance(() => storage, { numRuns: Number(process.env.RMC_NUM_RUNS ?? 25) }))
