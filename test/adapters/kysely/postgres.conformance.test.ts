import { describe } from "vitest"
import { makeKyselyStorage, migrateToLatest } from "../../../src/adapters/kysely"
import { describeStorageConformance } from "../../../src/testing"
import { openPostgres, postgresUrl } from "./databases"

// Runs against a real server when RMC_TEST_POSTGRES_URL is set (CI sets it).
describe.skipIf(postgresUrl === undefined)("PostgreSQL server", () => {
  describeStorageConformance("kysely postgres", async () => {
    const database = await openPostgres(postgresUrl as string)
    await migrateToLatest(database.db, { dialect: database.dialect })
    return { storage: makeKyselyStorage({ db: database.db, dialect: database.dialect }), close: () => database.destroy() }
  })
})
