import { describe } from "vitest"
import { describeStorageConformance } from "../../../src/testing"
import { mysqlUrl, openMysql } from "./databases"
import { scopedKyselyStorage } from "./scoped-storage"

// Runs against a real server when RMC_TEST_MYSQL_URL is set (CI sets it).
describe.skipIf(mysqlUrl === undefined)("MySQL or MariaDB server", () => {
  describeStorageConformance(
    "kysely mysql",
    scopedKyselyStorage(() => openMysql(mysqlUrl as string)),
  )
})
