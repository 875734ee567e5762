import { describe } from "vitest"
import { makeKyselyStorage, migrateToLatest } from "../../../src/adapters/kysely"
import { describeStorageConformance } from "../../../src/testing"
import { openMysql, mysqlUrl } from "./databases"

// Runs against a real server when RMC_TEST_MYSQL_URL is set (CI sets it).
describe.skipIf(mysqlUrl === undefined)("MySQL or MariaDB server", () => {
  describeStorageConformance("kysely mysql", async () => {
    const database = await openMysql(mysqlUrl as string)
    await migrateToLatest(database.db, { dialect: database.dialect })
    return { storage: makeKyselyStorage({ db: database.db, dialect: database.dialect }), close: () => database.destroy() }
  })
})
