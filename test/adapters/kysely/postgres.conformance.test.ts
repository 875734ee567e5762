import { describe, it } from "vitest"
import { makeKyselyStorage, migrateToLatest } from "../../../src/adapters/kysely"
import { describeStorageConformance } from "../../../src/testing"
import { openPostgres, postgresUrl } from "./databases"

if (postgresUrl === undefined) {
  describe.skip("kysely postgres (set RMC_TEST_POSTGRES_URL)", () => it("runs against a real server", () => {}))
} else {
  const url = postgresUrl
  describeStorageConformance("kysely postgres", async () => {
    const database = await openPostgres(url)
    await migrateToLatest(database.db, { dialect: database.dialect })
    return { storage: makeKyselyStorage({ db: database.db, dialect: database.dialect }), close: () => database.destroy() }
  })
}
