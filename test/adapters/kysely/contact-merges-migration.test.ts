import { Layer } from "effect"
import { sql } from "kysely"
import { Migrator } from "kysely/migration"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type KyselyDatabase, makeKyselyStorage, migrateToLatest, rmcMigrations, tableNames } from "../../../src/adapters/kysely"
import { createRmc } from "../../../src/facade/create-rmc"
import { Storage } from "../../../src/ports/storage"
import { mysqlUrl, openMysql, openPglite, openPostgres, openSqlite, postgresUrl } from "./databases"

const targets: Array<[string, () => Promise<KyselyDatabase>]> = [
  ["sqlite", openSqlite],
  ["pglite", openPglite],
  ...(postgresUrl === undefined ? [] : [["postgres", () => openPostgres(postgresUrl as string)] as [string, () => Promise<KyselyDatabase>]]),
  ...(mysqlUrl === undefined ? [] : [["mysql", () => openMysql(mysqlUrl as string)] as [string, () => Promise<KyselyDatabase>]]),
]

const before = "0010_privacy"

for (const [name, open] of targets) {
  describe(`migration 0011_contact_merges on ${name}`, () => {
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

    it("takes over a database of the previous version: its contacts are no tombstones, its settings get the default merge rules, and can be rolled back", async () => {
      const t = tableNames()
      const up = await migrator().migrateTo(before)
      expect(up.error).toBeUndefined()
      const ids = ["0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11", "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c12"]
      // Rows as the previous version wrote them: no merge columns, settings without merge rules.
      for (const [i, id] of ids.entries()) {
        await database.db
          .insertInto(t.contacts)
          .values({
            tenant_id: "acme",
            id,
            full_name: `Old Contact ${i}`,
            normalized_name: `old contact ${i}`,
            type: "Lead",
            primary_phone: null,
            phones: "[]",
            email: null,
            channel_identities: "[]",
            created_at: "2026-01-05T09:30:00.000Z",
            last_activity_at: "2026-01-05T09:30:00.000Z",
            erased_at: null,
            version: 1,
          })
          .execute()
      }
      const document = { tenantId: "acme", defaultRegion: "FR", contactTypes: ["Lead"], transitions: [], policies: { noteBeforeTransfer: false } }
      await database.db
        .insertInto(t.settings)
        .values({ tenant_id: "acme", document: JSON.stringify(document), version: 1 })
        .execute()

      await migrateToLatest(database.db, { dialect: database.dialect })
      const rmc = createRmc({ storage: Layer.succeed(Storage, makeKyselyStorage({ db: database.db, dialect: database.dialect })) })
      try {
        const admin = rmc.as({ tenantId: "acme", agentId: "root", role: "admin" })
        expect(await admin.getContact({ contactId: ids[0]! })).toMatchObject({ fullName: "Old Contact 0", mergedInto: null, mergedAt: null })
        expect((await admin.getSettings({})).merge).toEqual({ minRole: "supervisor", unmergeWindowDays: 30 })
        const { mergeId } = await admin.mergeContacts({ primaryId: ids[0]!, secondaryId: ids[1]! })
        await expect(admin.getContact({ contactId: ids[1]! })).rejects.toMatchObject({ code: "merged", mergedInto: ids[0] })
        await admin.unmergeContacts({ mergeId })
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
