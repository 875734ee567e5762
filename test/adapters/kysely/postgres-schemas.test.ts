import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { makeKyselyStorage, migrateToEmpty, migrateToLatest, rmcMigrations } from "../../../src/adapters/kysely"
import { openPostgres, postgresUrl } from "./databases"

describe.skipIf(postgresUrl === undefined)("migrations on a PostgreSQL server with several schemas", () => {
  // Guards against taking another schema's migration history for this one's.
  it("migrate each schema on its own, and start over", async () => {
    const first = await openPostgres(postgresUrl as string)
    const second = await openPostgres(postgresUrl as string)
    try {
      await migrateToLatest(first.db, { dialect: "postgres" })
      const result = await migrateToLatest(second.db, { dialect: "postgres" })
      const all = Object.keys(rmcMigrations({ dialect: "postgres" }))
      expect(result.results?.map((r) => [r.migrationName, r.status])).toEqual(all.map((name) => [name, "Success"]))
      const storage = makeKyselyStorage({ db: second.db, dialect: "postgres" })
      expect(await Effect.runPromise(storage.query((r) => r.settings.get("acme")))).toBeNull()
      await migrateToEmpty(second.db, { dialect: "postgres" })
      await expect(Effect.runPromise(storage.query((r) => r.settings.get("acme")))).rejects.toMatchObject({ code: "storage_unavailable" })
      await migrateToLatest(second.db, { dialect: "postgres" })
      expect(await Effect.runPromise(storage.query((r) => r.settings.get("acme")))).toBeNull()
    } finally {
      await first.destroy()
      await second.destroy()
    }
  })
})
