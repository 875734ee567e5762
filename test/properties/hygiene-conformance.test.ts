import { afterAll, beforeAll, describe } from "vitest"
import { makeKyselyStorage, migrateToLatest, type KyselyDatabase } from "../../src/adapters/kysely"
import { makeMemoryStorage } from "../../src/adapters/memory"
import type { Storage } from "../../src/ports/storage"
import { hygieneConformance } from "../../src/testing"
import { mysqlUrl, openMysql, openPostgres, openSqlite, postgresUrl } from "../adapters/kysely/databases"

const numRuns = Number(process.env.RMC_NUM_RUNS ?? 25)

// The hygiene sub-suite on every store of the SDK; the server stores run when their URL is set.
const onStore = (name: string, open: () => Promise<{ storage: Storage["Service"]; close?: () => Promise<void> }>) =>
  describe(`hygiene: ${name}`, () => {
    let store: { storage: Storage["Service"]; close?: () => Promise<void> }
    beforeAll(async () => {
      store = await open()
    })
    afterAll(async () => {
      await store?.close?.()
    })
    hygieneConformance(() => store.storage, { numRuns })
  })

const kysely = (open: () => Promise<KyselyDatabase>) => async () => {
  const database = await open()
  await migrateToLatest(database.db, { dialect: database.dialect })
  return { storage: makeKyselyStorage({ db: database.db, dialect: database.dialect }), close: () => database.destroy() }
}

onStore("memory", async () => ({ storage: makeMemoryStorage() }))
onStore("kysely sqlite", kysely(openSqlite))
describe.skipIf(postgresUrl === undefined)("PostgreSQL server", () => {
  onStore("kysely postgres", kysely(() => openPostgres(postgresUrl!)))
})
describe.skipIf(mysqlUrl === undefined)("MySQL or MariaDB server", () => {
  onStore("kysely mysql", kysely(() => openMysql(mysqlUrl!)))
})
