import { makeKyselyStorage, migrateToLatest } from "../../../src/adapters/kysely"
import { describeStorageConformance } from "../../../src/testing"
import { openPglite } from "./databases"

describeStorageConformance("kysely pglite", async () => {
  const database = await openPglite()
  await migrateToLatest(database.db, { dialect: database.dialect })
  return { storage: makeKyselyStorage({ db: database.db, dialect: database.dialect }), close: () => database.destroy() }
})
