import { Effect } from "effect"
import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type KyselyDatabase, makeKyselyStorage, migrateToLatest, tableNames } from "../../../src/adapters/kysely"
import { openPostgres, postgresUrl } from "./databases"

const tenants = 40
const perTenant = 150

describe.skipIf(postgresUrl === undefined)("tenant-scoped reads on PostgreSQL", () => {
  let database: KyselyDatabase
  const statements: Array<{ sql: string; parameters: ReadonlyArray<unknown> }> = []
  beforeAll(async () => {
    database = await openPostgres(postgresUrl as string, (event) => {
      if (event.level === "query") statements.push({ sql: event.query.sql, parameters: event.query.parameters })
    })
    await migrateToLatest(database.db, { dialect: "postgres" })
    const t = tableNames()
    for (let tenant = 0; tenant < tenants; tenant++) {
      const tenantId = `tenant-${tenant}`
      const contacts = Array.from({ length: 10 }, () => ({
        tenant_id: tenantId,
        id: crypto.randomUUID(),
        full_name: "Contact",
        type: "Lead",
        primary_phone: null,
        phones: "[]",
        email: null,
        channel_identities: "[]",
        created_at: "2026-01-01T00:00:00.000Z",
        last_activity_at: "2026-01-01T00:00:00.000Z",
        version: 1,
      }))
      await database.db.insertInto(t.contacts).values(contacts).execute()
      const conversations = Array.from({ length: perTenant }, (_, i) => {
        const at = new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString()
        return {
          tenant_id: tenantId,
          id: crypto.randomUUID(),
          contact_id: contacts[i % contacts.length]!.id,
          channel: i % 2 ? "email" : "whatsapp",
          status: "open",
          assignee_id: null,
          department_id: null,
          created_at: at,
          last_activity_at: at,
          assigned_at: null,
          version: 1,
        }
      })
      await database.db.insertInto(t.conversations).values(conversations).execute()
      const labels = Array.from({ length: 3 }, (_, i) => ({
        tenant_id: tenantId,
        id: crypto.randomUUID(),
        name: `Label ${i}`,
        normalized_name: `label ${i}`,
        color: "#aabbcc",
        description: null,
        created_by: "alice",
        created_at: "2026-01-01T00:00:00.000Z",
        archived_at: null,
      }))
      await database.db.insertInto(t.labels).values(labels).execute()
      await database.db
        .insertInto(t.conversationLabels)
        .values(
          conversations
            .filter((_, i) => i % 2 === 0)
            .map((c, i) => ({ tenant_id: tenantId, conversation_id: c.id, label_id: labels[i % 3]!.id, added_at: c.created_at })),
        )
        .execute()
    }
    await sql`analyze`.execute(database.db)
  })
  afterAll(async () => {
    await database?.destroy()
  })

  it("serves a tenant's search from the indexes, without scanning the conversations table", async () => {
    const storage = makeKyselyStorage({ db: database.db, dialect: "postgres" })
    statements.length = 0
    const found = await Effect.runPromise(
      storage.query((r) => r.conversations.search("tenant-7", { channels: ["email"], from: "2026-01-02T00:00:00.000Z" }, { limit: 20 })),
    )
    expect(found).toHaveLength(20)
    const search = statements.at(-1)!
    const { rows } = await sql<{
      "QUERY PLAN": string
    }>`explain ${sql.raw(search.sql.replace(/\$(\d+)/g, (_, n: string) => literal(search.parameters[Number(n) - 1])))}`.execute(database.db)
    const plan = rows.map((r) => r["QUERY PLAN"]).join("\n")
    expect(plan).toContain("rmc_conversations")
    expect(plan).not.toMatch(/Seq Scan on rmc_conversations/)
  })

  it("estimates a tenant's tag filters from the statistics on (tenant, id) pairs", async () => {
    const t = tableNames()
    const { rows: labels } = await sql<{ id: string }>`select id from ${sql.table(t.labels)} where tenant_id = 'tenant-7'`.execute(database.db)
    const { rows } = await sql<{ "QUERY PLAN": Array<{ Plan: { "Plan Rows": number; "Actual Rows": number } }> }>`explain (analyze, format json)
      select * from ${sql.table(t.conversationLabels)} where tenant_id = 'tenant-7' and label_id = ${labels[0]!.id}`.execute(database.db)
    const plan = rows[0]!["QUERY PLAN"][0]!.Plan
    expect(plan["Actual Rows"]).toBe(25)
    // Taken as independent, the two conditions would be estimated at one row, and searches would
    // join by nested loops that repeat whole index scans.
    expect(plan["Plan Rows"]).toBeGreaterThanOrEqual(10)
  })
})

const literal = (value: unknown): string => (typeof value === "number" ? String(value) : value === null ? "null" : `'${String(value).replaceAll("'", "''")}'`)
