import { makeKyselyStorage, migrateToLatest } from "../../../src/adapters/kysely"
import { describeStorageConformance } from "../../../src/testing"
import { openSqlite } from "./databases"

describeStorageConformance("kysely sqlite", async () => {
  const database = await openSqlite()
  await migrateToLatest(database.db, { dialect: database.dialect })
  return { storage: makeKyselyStorage({ db: database.db, dialect: database.dialect }), close: () => database.destroy() }
})
