import { describe } from "vitest"
import { describeStorageConformance } from "../../../src/testing"
import { openPostgres, postgresUrl } from "./databases"
import { scopedKyselyStorage } from "./scoped-storage"

// Runs against a real server when RMC_TEST_POSTGRES_URL is set (CI sets it).
describe.skipIf(postgresUrl === undefined)("PostgreSQL server", () => {
  describeStorageConformance(
    "kysely postgres",
    scopedKyselyStorage(() => openPostgres(postgresUrl as string)),
  )
})
