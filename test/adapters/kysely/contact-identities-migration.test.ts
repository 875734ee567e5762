import { Effect } from "effect"
import { sql } from "kysely"
import { Migrator } from "kysely/migration"
import { describe, expect, it } from "vitest"
import { type KyselyDatabase, makeKyselyStorage, migrateToLatest, rmcMigrations, tableNames } from "../../../src/adapters/kysely"
import { contactRow } from "../../../src/adapters/kysely/rows"
import type { Contact } from "../../../src/domain/contact/contact"
import { mysqlUrl, openMysql, openPglite, openPostgres, openSqlite, postgresUrl } from "./databases"

const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(effect)

const contact = (tenantId: string, id: string, createdAt: string, fields: Partial<Contact>): Contact => ({
  id,
  tenantId,
  fullName: "Camille Martin",
  type: "User",
  primaryPhone: null,
  phones: [],
  email: null,
  channelIdentities: [],
  createdAt,
  lastActivityAt: createdAt,
  erasedAt: null,
  mergedInto: null,
  mergedAt: null,
  version: 1,
  ...fields,
})

describe("migrating contacts written before identities were unique (0007)", () => {
  const databases: Array<[string, () => Promise<KyselyDatabase>]> = [
    ["sqlite", openSqlite],
    ["pglite", openPglite],
    ...(postgresUrl === undefined ? [] : [["postgres", () => openPostgres(postgresUrl!)] as [string, () => Promise<KyselyDatabase>]]),
    ...(mysqlUrl === undefined ? [] : [["mysql", () => openMysql(mysqlUrl!)] as [string, () => Promise<KyselyDatabase>]]),
  ]
  for (const [name, open] of databases) {
    it(`indexes every identity, the oldest contact keeping a shared one, on ${name}`, async () => {
      const database = await open()
      try {
        const { db, dialect } = database
        const schema = dialect === "postgres" ? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]!.s : undefined
        const migrator = new Migrator({
          db,
          provider: { getMigrations: async () => rmcMigrations({ dialect }) },
          migrationTableName: "rmc_migrations",
          migrationLockTableName: "rmc_migrations_lock",
          ...(schema === undefined ? {} : { migrationTableSchema: schema }),
        })
        expect((await migrator.migrateTo("0006_note_pages")).error).toBeUndefined()
        // Rows as the previous version wrote them: no name key (nor erasure), and two contacts sharing a number.
        const oldest = contact("acme", "01900000-0000-7000-8000-000000000001", "2025-01-01T10:00:00.000Z", {
          primaryPhone: "+33612345678",
          email: "marie@example.com",
        })
        const younger = contact("acme", "01900000-0000-7000-8000-000000000000", "2025-02-01T10:00:00.000Z", {
          fullName: "Éloïse Durand",
          channelIdentities: [{ channel: "whatsapp", handle: "+33612345678" }],
          email: "eloise@example.com",
        })
        const elsewhere = contact("globex", "01900000-0000-7000-8000-000000000002", "2024-01-01T10:00:00.000Z", { primaryPhone: "+33612345678" })
        const t = tableNames()
        for (const c of [younger, elsewhere, oldest]) {
          // The columns of later migrations are not there yet.
          const { normalized_name: _, erased_at: __, merged_into: ___, merged_at: ____, ...row } = contactRow(c)
          await db.insertInto(t.contacts).values(row).execute()
        }
        await migrateToLatest(db, { dialect })

        const storage = makeKyselyStorage({ db, dialect })
        const holder = (tenantId: string, kind: "phone" | "email", value: string) =>
          run(storage.query((r) => r.contacts.findByIdentity(tenantId, { kind, value }))).then((c) => c?.id ?? null)
        expect(await holder("acme", "phone", "+33612345678")).toBe(oldest.id)
        expect(await holder("acme", "email", "eloise@example.com")).toBe(younger.id)
        expect(await holder("acme", "email", "marie@example.com")).toBe(oldest.id)
        expect(await holder("globex", "phone", "+33612345678")).toBe(elsewhere.id)
        const picked = await run(storage.query((r) => r.contacts.listByNamePrefix("acme", "elo", { limit: 10 })))
        expect(picked.map((c) => c.id)).toEqual([younger.id])

        // The younger contact can still be written while it keeps the shared number...
        const renamed = { ...younger, fullName: "Éloïse Martin", version: 2 }
        await run(storage.transaction((r) => r.contacts.update(renamed, younger)))
        expect(await holder("acme", "phone", "+33612345678")).toBe(oldest.id)
        // ...and gaining the oldest's address is refused, naming the oldest.
        const taking = { ...renamed, email: "marie@example.com", version: 3 }
        const refused = await run(Effect.flip(storage.transaction((r) => r.contacts.update(taking, renamed))))
        expect(refused).toMatchObject({ _tag: "IdentityTakenError", contactId: oldest.id })

        // Down and up again.
        expect((await migrator.migrateTo("0006_note_pages")).error).toBeUndefined()
        await migrateToLatest(db, { dialect })
        expect(await holder("acme", "phone", "+33612345678")).toBe(oldest.id)
      } finally {
        await database.destroy()
      }
    }, 60_000)
  }
})
