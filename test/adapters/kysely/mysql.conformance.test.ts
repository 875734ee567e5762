import { describe, it } from "vitest"
import { makeKyselyStorage, migrateToLatest } from "../../../src/adapters/kysely"
import { describeStorageConformance } from "../../../src/testing"
import { openMysql, mysqlUrl } from "./databases"

if (mysqlUrl === undefined) {
  describe.skip("kysely mysql (set RMC_TEST_MYSQL_URL)", () => it("runs against a real server", () => {}))
} else {
  const url = mysqlUrl
  describeStorageConformance("kysely mysql", async () => {
    const database = await openMysql(url)
    await migrateToLatest(database.db, { dialect: database.dialect })
    return { storage: makeKyselyStorage({ db: database.db, dialect: database.dialect }), close: () => database.destroy() }
  })
}
