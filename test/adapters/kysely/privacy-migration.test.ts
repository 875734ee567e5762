import { Layer } from "effect"
import { sql } from "kysely"
import { Migrator } from "kysely/migration"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type KyselyDatabase, makeKyselyStorage, migrateToLatest, rmcMigrations, tableNames } from "../../../src/adapters/kysely"
import { erasedMarker } from "../../../src/domain/privacy/erasure"
import { createRmc } from "../../../src/facade/create-rmc"
import { Storage } from "../../../src/ports/storage"
import { mysqlUrl, openMysql, openPglite, openPostgres, openSqlite, postgresUrl } from "./databases"

const targets: Array<[string, () => Promise<KyselyDatabase>]> = [
  ["sqlite", openSqlite],
  ["pglite", openPglite],
  ...(postgresUrl === undefined ? [] : [["postgres", () => openPostgres(postgresUrl as string)] as [string, () => Promise<KyselyDatabase>]]),
  ...(mysqlUrl === undefined ? [] : [["mysql", () => openMysql(mysqlUrl as string)] as [string, () => Promise<KyselyDatabase>]]),
]

const before = "0006_note_pages"

for (const [name, open] of targets) {
  describe(`migration 0010_privacy on ${name}`, () => {
    let database: KyselyDatabase
    // As `migrateToLatest` does: on PostgreSQL, the history of this schema, not another one's.
    let schema: { migrationTableSchema: string } | object = {}
    const migrator = () =>
      new Migrator({
        db: database.db,
        provider: { getMigrations: async () => rmcMigrations({ dialect: database.dialect }) },
        migrationTableName: "rmc_migrations",
        migrationLockTableName: "rmc_migrations_lock",
        ...schema,
      })
    beforeAll(async () => {
      database = await open()
      if (database.dialect === "postgres") {
        const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(database.db)
        schema = { migrationTableSchema: rows[0]!.schema }
      }
    })
    afterAll(async () => {
      await database?.destroy()
    })

    it("takes over a database of the previous version: its contacts are not erased, its settings keep nothing past retention, and can be rolled back", async () => {
      const t = tableNames()
      const up = await migrator().migrateTo(before)
      expect(up.error).toBeUndefined()
      const contactId = "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11"
      // Rows as the previous version wrote them: no erasure column, settings without retention.
      await database.db
        .insertInto(t.contacts)
        .values({
          tenant_id: "acme",
          id: contactId,
          full_name: "Old Contact",
          type: "Lead",
          primary_phone: "+33612345678",
          phones: "[]",
          email: null,
          channel_identities: "[]",
          created_at: "2026-01-05T09:30:00.000Z",
          last_activity_at: "2026-01-05T09:30:00.000Z",
          version: 1,
        })
        .execute()
      const document = { tenantId: "acme", defaultRegion: "FR", contactTypes: ["Lead"], transitions: [], policies: { noteBeforeTransfer: false } }
      await database.db
        .insertInto(t.settings)
        .values({ tenant_id: "acme", document: JSON.stringify(document), version: 1 })
        .execute()

      await migrateToLatest(database.db, { dialect: database.dialect })
      const rmc = createRmc({ storage: Layer.succeed(Storage, makeKyselyStorage({ db: database.db, dialect: database.dialect })) })
      try {
        const admin = rmc.as({ tenantId: "acme", agentId: "dpo", role: "admin" })
        expect(await admin.getContact({ contactId })).toMatchObject({ fullName: "Old Contact", erasedAt: null })
        expect((await admin.getSettings({})).retention).toEqual({ notesDays: null, activityDays: null })
        const erasure = await admin.eraseContact({ contactId, reason: "Asked by the customer" })
        expect(erasure.contact).toMatchObject({ fullName: erasedMarker, primaryPhone: null })
      } finally {
        await rmc.dispose()
      }

      const down = await migrator().migrateTo(before)
      expect(down.error).toBeUndefined()
      // Up, down and up again: a rollback leaves nothing that a second one trips over.
      for (const step of [() => migrator().migrateToLatest(), () => migrator().migrateTo(before), () => migrator().migrateToLatest()]) {
        expect((await step()).error).toBeUndefined()
      }
    })
  })
}
