// Storage benchmark: the Kysely store against hand-written SQL through the same driver, in the same
// run, on SQLite (node:sqlite) and PostgreSQL, over a generated data set (100,000 conversations
// across 100 tenants by default). Run with `npm run bench` (options: --conversations <n>,
// --databases sqlite,postgres, --iterations <n>; RMC_BENCH_POSTGRES_URL picks the server). Then
// concurrent writers on PostgreSQL and MariaDB (see concurrent-writers.ts; --writers-databases
// postgres,mysql, --writers-seconds <s>, --writers 16,64, RMC_BENCH_MYSQL_URL); `--concurrent` runs that part
// alone, `--no-concurrent` skips it. `--dist <dir>` measures another build of the package, and `--dry-run`
// prints the figures without writing bench/results.json or docs/benchmarks.md.
import { DatabaseSync } from "node:sqlite"
import { cpus, loadavg, tmpdir } from "node:os"
import { join } from "node:path"
import { rmSync } from "node:fs"
import { Effect } from "effect"
import { Kysely, PostgresDialect } from "kysely"
import pg from "pg"
import type { Storage } from "../src"
import type { SqlDialect } from "../src/adapters/kysely"
import { contactNameKey } from "../src/domain/contact/contact-identity"
import { defaultTenantSettings } from "../src/domain/tenant/tenant-settings"
import { benchConcurrentWriters } from "./concurrent-writers"
import { benchSchema } from "./postgres-schema"
import { type BenchResult, round, saveResults, saveSection } from "./results"

// The package as users install it: the built files (`npm run bench` builds first), not the sources.

pg.types.setTypeParser(20, (value) => Number(value))
const flag = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? process.argv[i + 1]! : fallback
}
const total = Number(flag("conversations", "100000"))
const databases = flag("databases", "sqlite,postgres").split(",")
const iterations = Number(flag("iterations", "500"))
// The erasure row: a contact with this many conversations, ten events, a note and a tenth of a call
// each, erased `--erase-runs` times a side (each run erases a freshly loaded contact).
const eraseConversations = Number(flag("erase-conversations", "1000"))
const eraseRuns = Number(flag("erase-runs", "7"))
// The merge row: the same contact merged into one with five conversations, `--erase-runs` times a side.
const mergeRowName = `merge a contact: ${eraseConversations.toLocaleString("en")} conversations, ${(eraseConversations * 10).toLocaleString("en")} events`
const tenants = 100
const perTenant = Math.floor(total / tenants)
const postgresUrl = process.env.RMC_BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test"
const mysqlUrl = process.env.RMC_BENCH_MYSQL_URL ?? "mysql://root@127.0.0.1:3306/test"
const dist = flag("dist", "dist")
const dryRun = process.argv.includes("--dry-run")
const { kyselyStorage, makeKyselyStorage, migrateToLatest, nodeSqliteDialect } = (await import(
  new URL(`../${dist}/kysely.js`, import.meta.url).href
)) as typeof import("../src/adapters/kysely")
const writers = {
  databases: flag("writers-databases", "postgres,mysql").split(","),
  seconds: Number(flag("writers-seconds", "12")),
  writers: flag("writers", "1,4,16,64").split(",").map(Number),
  postgresUrl,
  mysqlUrl,
  dist,
  dryRun,
}
if (process.argv.includes("--concurrent")) {
  await benchConcurrentWriters(writers)
  process.exit(0)
}

// Sampled at every batch and every measured call too: node:sqlite answers synchronously, so a timer
// alone may not fire while the benchmark runs.
const loadAtStart = loadavg()[0]!
let heapPeak = 0
const sampleHeap = () => {
  heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)
}
const sampler = setInterval(sampleHeap, 25)

type RawQuery = (sql: string, params: ReadonlyArray<unknown>) => Promise<Array<Record<string, unknown>>>

/** A database under test: the SDK's store and a raw driver on the same data. */
interface Target {
  readonly name: "sqlite" | "postgres"
  readonly dialect: SqlDialect
  /** The Kysely instance the SDK's store runs on, for a whole `createRmc` on the same database. */
  readonly db: Kysely<any>
  readonly storage: Storage["Service"]
  /**
   * A connection of its own for loading the data set, closed before measuring: neither side then runs
   * on a connection (or a server process) that has just done the bulk load.
   */
  openLoader(): Kysely<any>
  raw(sql: string, params: ReadonlyArray<unknown>): Promise<Array<Record<string, unknown>>>
  /** Runs `work` in one transaction of the raw driver, for hand-written work that reads before it writes. */
  rawWork<A>(work: (query: RawQuery) => Promise<A>): Promise<A>
  rawTransaction(statements: ReadonlyArray<readonly [string, ReadonlyArray<unknown>]>): Promise<void>
  close(): Promise<void>
}

const openSqlite = async (): Promise<Target> => {
  const file = join(tmpdir(), `rmc-bench-${process.pid}.sqlite`)
  rmSync(file, { force: true })
  const db = new Kysely<any>({ dialect: nodeSqliteDialect(file) })
  await migrateToLatest(db, { dialect: "sqlite" })
  const driver = new DatabaseSync(file)
  driver.exec("pragma journal_mode = wal; pragma busy_timeout = 5000; pragma foreign_keys = on")
  const toSqlite = (sql: string) => sql.replace(/\$(\d+)/g, "?$1")
  const raw: RawQuery = async (sql, params) => driver.prepare(toSqlite(sql)).all(...(params as Array<never>)) as Array<Record<string, unknown>>
  const inTransaction = async <A>(work: () => Promise<A>): Promise<A> => {
    driver.exec("begin")
    try {
      const result = await work()
      driver.exec("commit")
      return result
    } catch (error) {
      driver.exec("rollback")
      throw error
    }
  }
  return {
    name: "sqlite",
    dialect: "sqlite",
    db,
    storage: makeKyselyStorage({ db, dialect: "sqlite" }),
    openLoader: () => new Kysely<any>({ dialect: nodeSqliteDialect(file) }),
    raw,
    rawWork: (work) => inTransaction(() => work(raw)),
    rawTransaction: (statements) =>
      inTransaction(async () => {
        for (const [sql, params] of statements) driver.prepare(toSqlite(sql)).run(...(params as Array<never>))
      }),
    close: async () => {
      driver.close()
      await db.destroy()
      rmSync(file, { force: true })
    },
  }
}

const openPostgres = async (): Promise<Target> => {
  const schema = await benchSchema(postgresUrl, `rmc_bench_${process.pid}`)
  const pool = new pg.Pool({ connectionString: postgresUrl, max: 4, options: schema.options })
  const db = new Kysely<any>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: postgresUrl, max: 4, options: schema.options }) }),
  })
  await migrateToLatest(db, { dialect: "postgres" })
  const inTransaction = async <A>(work: (client: pg.PoolClient) => Promise<A>): Promise<A> => {
    const client = await pool.connect()
    try {
      await client.query("begin isolation level read committed")
      const result = await work(client)
      await client.query("commit")
      return result
    } catch (error) {
      await client.query("rollback")
      throw error
    } finally {
      client.release()
    }
  }
  return {
    name: "postgres",
    dialect: "postgres",
    db,
    storage: makeKyselyStorage({ db, dialect: "postgres" }),
    openLoader: () =>
      new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: postgresUrl, max: 2, options: schema.options }) }) }),
    raw: async (sql, params) => (await pool.query(sql, params as Array<unknown>)).rows,
    rawWork: (work) => inTransaction((client) => work(async (sql, params) => (await client.query(sql, params as Array<unknown>)).rows)),
    rawTransaction: (statements) =>
      inTransaction(async (client) => {
        for (const [sql, params] of statements) await client.query(sql, params as Array<unknown>)
      }),
    close: async () => {
      await pool.end()
      await db.destroy()
      await schema.drop()
    },
  }
}

const uuid = () => crypto.randomUUID()
const iso = (ms: number) => new Date(ms).toISOString()
const start = Date.UTC(2026, 0, 1)

/** Inserts rows in batches of multi-row INSERTs. */
const insertAll = async (db: Kysely<any>, table: string, rows: Array<Record<string, unknown>>) => {
  for (let i = 0; i < rows.length; i += 400)
    await db
      .insertInto(table)
      .values(rows.slice(i, i + 400))
      .execute()
  sampleHeap()
}

interface Seeded {
  readonly tenantId: string
  readonly conversationId: string
  readonly departmentId: string
  readonly keywordIds: ReadonlyArray<string>
  readonly labelIds: ReadonlyArray<string>
  readonly contactId: string
  readonly heavy: string
  readonly light: string
  readonly conversationIds: ReadonlyArray<string>
  /** The phone numbers of the sample tenant's contacts, one each. */
  readonly phones: ReadonlyArray<string>
  /** A conversation of the sample tenant whose contact and itself hold 10 custom attribute values each. */
  readonly attributed: string
}

const seed = async (target: Target, loader: Kysely<any>): Promise<Seeded> => {
  let sample: Omit<Seeded, "heavy" | "light" | "attributed"> | undefined
  let attributed: string | undefined
  for (let t = 0; t < tenants; t++) {
    const tenantId = `tenant-${String(t).padStart(3, "0")}`
    const departments = Array.from({ length: 6 }, (_, i) => ({
      tenant_id: tenantId,
      id: uuid(),
      name: `Department ${i}`,
      normalized_name: `department ${i}`,
      created_at: iso(start),
      archived_at: null,
    }))
    const keywords = Array.from({ length: 10 }, (_, i) => ({
      tenant_id: tenantId,
      id: uuid(),
      name: `Keyword ${i}`,
      normalized_name: `keyword ${i}`,
      created_at: iso(start),
      archived_at: null,
      merged_into_id: null,
    }))
    const labels = Array.from({ length: 5 }, (_, i) => ({
      tenant_id: tenantId,
      id: uuid(),
      name: `Label ${i}`,
      normalized_name: `label ${i}`,
      color: "#aabbcc",
      description: null,
      created_by: "bench",
      created_at: iso(start),
      archived_at: null,
    }))
    // Each contact with a number of its own (also its WhatsApp handle) and an address: identities are unique per tenant.
    const contacts = Array.from({ length: Math.max(1, perTenant / 5) }, (_, i) => {
      const phone = `+336${String(t).padStart(3, "0")}${String(i).padStart(5, "0")}`
      return {
        tenant_id: tenantId,
        id: uuid(),
        full_name: `Contact ${i}`,
        normalized_name: `contact ${i}`,
        type: ["User", "Lead", "Prospect", "Client"][i % 4],
        primary_phone: phone,
        phones: "[]",
        email: `contact${i}@${tenantId}.example`,
        channel_identities: JSON.stringify([{ channel: "whatsapp", handle: phone }]),
        created_at: iso(start),
        last_activity_at: iso(start),
        version: 1,
      }
    })
    const conversations = Array.from({ length: perTenant }, (_, i) => {
      const created = start + i * 3_600_000
      return {
        tenant_id: tenantId,
        id: uuid(),
        contact_id: contacts[i % contacts.length]!.id,
        channel: ["whatsapp", "email", "sms", "webchat"][i % 4],
        status: ["open", "pending", "resolved"][i % 3],
        assignee_id: "alice",
        department_id: i % 7 === 0 ? null : departments[i % 6]!.id,
        created_at: iso(created),
        last_activity_at: iso(created + (i % 50) * 60_000),
        assigned_at: iso(created),
        version: 1,
      }
    })
    await insertAll(loader, "rmc_departments", departments)
    await insertAll(loader, "rmc_keywords", keywords)
    await insertAll(loader, "rmc_labels", labels)
    await insertAll(loader, "rmc_contacts", contacts)
    await insertAll(
      loader,
      "rmc_contact_identities",
      contacts.flatMap((c) => [
        { tenant_id: tenantId, kind: "phone", value: c.primary_phone, contact_id: c.id },
        { tenant_id: tenantId, kind: "email", value: c.email, contact_id: c.id },
      ]),
    )
    await insertAll(loader, "rmc_conversations", conversations)
    await insertAll(
      loader,
      "rmc_conversation_keywords",
      conversations.flatMap((c, i) => [
        { tenant_id: tenantId, conversation_id: c.id, keyword_id: keywords[i % 10]!.id, added_at: c.created_at },
        { tenant_id: tenantId, conversation_id: c.id, keyword_id: keywords[(i * 7 + 3) % 10]!.id, added_at: c.created_at },
      ]),
    )
    await insertAll(
      loader,
      "rmc_conversation_labels",
      conversations
        .filter((_, i) => i % 2 === 0)
        .map((c, i) => ({ tenant_id: tenantId, conversation_id: c.id, label_id: labels[i % 5]!.id, added_at: c.created_at })),
    )
    await insertAll(
      loader,
      "rmc_notes",
      conversations
        .filter((_, i) => i % 2 === 0)
        .map((c) => ({
          tenant_id: tenantId,
          id: uuid(),
          subject_kind: "conversation",
          subject_id: c.id,
          contact_id: c.contact_id,
          body: "Called back, quote sent.",
          author_id: "alice",
          created_at: c.created_at,
          edited_at: null,
          deleted_at: null,
          deleted_by: null,
          revisions: "[]",
          version: 1,
        })),
    )
    // Custom attributes: a tier (enum) on every contact, a seat count on every conversation, and nine
    // more of each target, which only one conversation and its contact hold (the details read of 20 values).
    const definition = (key: string, type: string, target: string, options: ReadonlyArray<string> = []) => ({
      tenant_id: tenantId,
      id: uuid(),
      key,
      label: key,
      type,
      target,
      options: JSON.stringify(options),
      required: 0,
      created_at: iso(start),
      archived_at: null,
      version: 1,
    })
    const extra = (prefix: string, target: string) => Array.from({ length: 9 }, (_, i) => definition(`${prefix}${i + 1}`, "text", target))
    await insertAll(loader, "rmc_attribute_definitions", [
      definition("tier", "enum", "contact", ["Gold", "Silver", "Bronze"]),
      definition("seats", "number", "conversation"),
      ...extra("c", "contact"),
      ...extra("v", "conversation"),
    ])
    const value = (kind: string, subjectId: string, key: string, type: string, text: string, number: number | null = null) => ({
      tenant_id: tenantId,
      subject_kind: kind,
      subject_id: subjectId,
      key,
      value_type: type,
      value_text: text,
      value_number: number,
      updated_at: iso(start),
    })
    const tiers = ["Gold", "Silver", "Bronze"]
    await insertAll(
      loader,
      "rmc_attribute_values",
      contacts.map((c, i) => value("contact", c.id, "tier", "enum", tiers[i % 3]!)),
    )
    await insertAll(
      loader,
      "rmc_attribute_values",
      conversations.map((c, i) => value("conversation", c.id, "seats", "number", String(i % 100), i % 100)),
    )
    if (t === 7) {
      const rich = conversations[1]!
      attributed = rich.id
      await insertAll(loader, "rmc_attribute_values", [
        ...Array.from({ length: 9 }, (_, i) => value("contact", rich.contact_id, `c${i + 1}`, "text", `Contact value ${i + 1}`)),
        ...Array.from({ length: 9 }, (_, i) => value("conversation", rich.id, `v${i + 1}`, "text", `Conversation value ${i + 1}`)),
      ])
      sample = {
        tenantId,
        conversationId: conversations[0]!.id,
        contactId: conversations[0]!.contact_id,
        departmentId: departments[2]!.id,
        keywordIds: [keywords[2]!.id, keywords[7]!.id],
        labelIds: labels.map((l) => l.id),
        conversationIds: conversations.map((c) => c.id),
        phones: contacts.map((c) => c.primary_phone),
      }
    }
  }
  // Two contacts of the same tenant: one with 10,000 past conversations and 10,000 notes, one with 10 and 10.
  const tenantId = "tenant-history"
  const heavyContact = uuid()
  const lightContact = uuid()
  await insertAll(
    loader,
    "rmc_contacts",
    [heavyContact, lightContact].map((id) => ({
      tenant_id: tenantId,
      id,
      full_name: "History",
      normalized_name: "history",
      type: "Client",
      primary_phone: null,
      phones: "[]",
      email: null,
      channel_identities: "[]",
      created_at: iso(start),
      last_activity_at: iso(start),
      version: 1,
    })),
  )
  const history = (contactId: string, count: number) =>
    Array.from({ length: count }, (_, i) => ({
      tenant_id: tenantId,
      id: uuid(),
      contact_id: contactId,
      channel: "email",
      status: "resolved",
      assignee_id: null,
      department_id: null,
      created_at: iso(start + i * 60_000),
      last_activity_at: iso(start + i * 60_000),
      assigned_at: null,
      version: 1,
    }))
  const heavyRows = history(heavyContact, 10_000)
  // The light contact fills every page of the read (21 conversations, 21 notes a subject), so that
  // the ratio is what the history behind full pages costs, not the size of the pages.
  const lightRows = history(lightContact, 25)
  await insertAll(loader, "rmc_conversations", [...heavyRows, ...lightRows])
  // And notes, written after the conversations: 5,000 on the contact and 5,000 on the conversation read
  // against 5 and 5, the reading agent's own note the oldest, so that the panel's first pages never
  // reach back to it (the worst case of the read of the agent's own note).
  const notes = (contactId: string, conversationId: string, count: number) =>
    Array.from({ length: count }, (_, i) => ({
      tenant_id: tenantId,
      id: uuid(),
      subject_kind: i % 2 === 0 ? "contact" : "conversation",
      subject_id: i % 2 === 0 ? contactId : conversationId,
      contact_id: contactId,
      body: "Called back, quote sent.",
      author_id: i === 1 ? benchAgent : "bob",
      created_at: iso(start + 10_000 * 60_000 + i * 1_000),
      edited_at: null,
      deleted_at: null,
      deleted_by: null,
      revisions: "[]",
      version: 1,
    }))
  await insertAll(loader, "rmc_notes", [...notes(heavyContact, heavyRows.at(-1)!.id, 10_000), ...notes(lightContact, lightRows.at(-1)!.id, 50)])
  if (target.name === "postgres") await target.raw("analyze", [])
  return { ...sample!, heavy: heavyRows.at(-1)!.id, light: lightRows.at(-1)!.id, attributed: attributed! }
}

// Hand-written SQL: what a developer would write for each operation, run through the same driver.
const doc = (dialect: SqlDialect, alias: string, columns: ReadonlyArray<string>) =>
  dialect === "postgres" ? `row_to_json(${alias})::text` : `json_object(${columns.map((c) => `'${c}', ${alias}.${c}`).join(", ")})`
const columns = {
  contact: ["tenant_id", "id", "full_name", "type", "primary_phone", "phones", "email", "channel_identities", "created_at", "last_activity_at", "version"],
  department: ["tenant_id", "id", "name", "normalized_name", "created_at", "archived_at"],
  keyword: ["tenant_id", "id", "name", "normalized_name", "created_at", "archived_at", "merged_into_id"],
  label: ["tenant_id", "id", "name", "normalized_name", "color", "description", "created_by", "created_at", "archived_at"],
  note: [
    "tenant_id",
    "id",
    "subject_kind",
    "subject_id",
    "contact_id",
    "body",
    "author_id",
    "created_at",
    "edited_at",
    "deleted_at",
    "deleted_by",
    "revisions",
    "version",
  ],
  call: [
    "tenant_id",
    "id",
    "conversation_id",
    "contact_id",
    "to_number",
    "idempotency_key",
    "requested_by",
    "status",
    "provider_call_id",
    "failure_reason",
    "created_at",
    "updated_at",
  ],
}
const conversationColumns = [
  "tenant_id",
  "id",
  "contact_id",
  "channel",
  "status",
  "assignee_id",
  "department_id",
  "created_at",
  "last_activity_at",
  "assigned_at",
  "version",
]
/** The agent reading the Details panel: its newest note on the conversation is read with it. */
const benchAgent = "alice"
const attributeColumns = ["key", "value_type", "value_text", "value_number"]

// With `rules`, the hand-written read of an agent ($5) of one department ($6) under the tenant's
// `department` rules for notes and history, the rules known to the application.
const detailsSql = (dialect: SqlDialect, rules = false) => {
  const reach = (alias: string) => `(${alias}.department_id is null or ${alias}.assignee_id = $5 or ${alias}.department_id = $6)`
  const own = rules ? "and author_id = $5" : ""
  const conversationNotes = rules
    ? `and (author_id = $5 or exists (select 1 from rmc_conversations cv where cv.tenant_id = $1 and cv.id = $2 and ${reach("cv")}))`
    : ""
  const history = (alias: string) => (rules ? `and ${reach(alias)}` : "")
  return `
  select 'conversation' as part, ${doc(dialect, "c", conversationColumns)} as doc from rmc_conversations c where c.tenant_id = $1 and c.id = $2
  union all select 'contact', ${doc(dialect, "k", columns.contact)}
    from rmc_contacts k where k.tenant_id = $1 and k.id = (select contact_id from rmc_conversations where tenant_id = $1 and id = $2)
  union all select 'settings', ${doc(dialect, "s", ["document", "version"])} from rmc_tenant_settings s where s.tenant_id = $1
  union all select 'department', ${doc(dialect, "d", columns.department)}
    from rmc_departments d where d.tenant_id = $1 and d.id = (select department_id from rmc_conversations where tenant_id = $1 and id = $2)
  union all select 'contact_note', ${doc(dialect, "cn", columns.note)}
    from (select * from rmc_notes where tenant_id = $1 and subject_kind = 'contact' and deleted_at is null
      and subject_id = (select contact_id from rmc_conversations where tenant_id = $1 and id = $2) ${own}
      order by created_at desc, id desc limit $4) cn
  union all select 'conversation_note', ${doc(dialect, "vn", columns.note)}
    from (select * from rmc_notes where tenant_id = $1 and subject_kind = 'conversation' and subject_id = $2 and deleted_at is null ${conversationNotes}
      order by created_at desc, id desc limit $4) vn
  union all select 'viewer_note', ${doc(dialect, "an", columns.note)}
    from (select * from rmc_notes where tenant_id = $1 and subject_kind = 'conversation' and subject_id = $2 and author_id = $5 and deleted_at is null
      and created_at >= (select coalesce(assigned_at, created_at) from rmc_conversations where tenant_id = $1 and id = $2)
      order by created_at desc, id desc limit 1) an
  union all select 'keyword', ${doc(dialect, "kw", columns.keyword)}
    from rmc_conversation_keywords ck join rmc_keywords kw on kw.tenant_id = ck.tenant_id and kw.id = ck.keyword_id where ck.tenant_id = $1 and ck.conversation_id = $2
  union all select 'label', ${doc(dialect, "l", columns.label)}
    from rmc_conversation_labels cl join rmc_labels l on l.tenant_id = cl.tenant_id and l.id = cl.label_id where cl.tenant_id = $1 and cl.conversation_id = $2
  union all select 'history', ${doc(dialect, "h", [...conversationColumns, "department_name"])}
    from (select hc.*, hd.name as department_name from rmc_conversations hc
      left join rmc_departments hd on hd.tenant_id = hc.tenant_id and hd.id = hc.department_id
      where hc.tenant_id = $1 and hc.contact_id = (select contact_id from rmc_conversations where tenant_id = $1 and id = $2) ${history("hc")}
      order by hc.last_activity_at desc, hc.id desc limit $3) h
  union all select 'chip', ${doc(dialect, "hl", ["conversation_id", "id", "name", "color", "normalized_name"])}
    from (select hx.conversation_id, l.id, l.name, l.color, l.normalized_name
      from rmc_conversation_labels hx join rmc_labels l on l.tenant_id = hx.tenant_id and l.id = hx.label_id
      join (select hq.id from rmc_conversations hq where hq.tenant_id = $1 and hq.contact_id = (select contact_id from rmc_conversations where tenant_id = $1 and id = $2) ${history("hq")}
        order by hq.last_activity_at desc, hq.id desc limit $3) hp on hp.id = hx.conversation_id where hx.tenant_id = $1) hl
  union all select 'call', ${doc(dialect, "ca", columns.call)}
    from (select * from rmc_call_attempts where tenant_id = $1 and conversation_id = $2 order by created_at desc, id desc limit 5) ca
  union all select 'contact_attribute', ${doc(dialect, "ka", attributeColumns)}
    from rmc_attribute_values ka where ka.tenant_id = $1 and ka.subject_kind = 'contact'
      and ka.subject_id = (select contact_id from rmc_conversations where tenant_id = $1 and id = $2)
  union all select 'conversation_attribute', ${doc(dialect, "va", attributeColumns)}
    from rmc_attribute_values va where va.tenant_id = $1 and va.subject_kind = 'conversation' and va.subject_id = $2`
}

const chipsSql = (dialect: SqlDialect) =>
  dialect === "postgres"
    ? `(select coalesce(json_agg(json_build_object('id', l.id, 'name', l.name, 'color', l.color)), '[]')::text from rmc_conversation_labels cl join rmc_labels l on l.tenant_id = cl.tenant_id and l.id = cl.label_id where cl.tenant_id = c.tenant_id and cl.conversation_id = c.id)`
    : `(select json_group_array(json_object('id', l.id, 'name', l.name, 'color', l.color)) from rmc_conversation_labels cl join rmc_labels l on l.tenant_id = cl.tenant_id and l.id = cl.label_id where cl.tenant_id = c.tenant_id and cl.conversation_id = c.id)`
const searchSql = (dialect: SqlDialect) => `
  select c.*, d.name as department_name, ${chipsSql(dialect)} as label_chips
  from rmc_conversations c left join rmc_departments d on d.tenant_id = c.tenant_id and d.id = c.department_id
  where c.tenant_id = $1
    and exists (select 1 from rmc_conversation_keywords x where x.tenant_id = c.tenant_id and x.conversation_id = c.id and x.keyword_id = $2)
    and exists (select 1 from rmc_conversation_keywords x where x.tenant_id = c.tenant_id and x.conversation_id = c.id and x.keyword_id = $3)
    and exists (select 1 from rmc_conversation_labels x where x.tenant_id = c.tenant_id and x.conversation_id = c.id and x.label_id = $4)
    and c.department_id = $5 and c.created_at >= $6 and c.created_at < $7
  order by c.last_activity_at desc, c.id desc limit 21`
// Conversations of Gold contacts with 10 to 60 seats, as a developer would write it by hand.
const attributeSearchSql = (dialect: SqlDialect) => `
  select c.*, d.name as department_name, ${chipsSql(dialect)} as label_chips
  from rmc_conversations c left join rmc_departments d on d.tenant_id = c.tenant_id and d.id = c.department_id
  where c.tenant_id = $1
    and exists (select 1 from rmc_attribute_values a where a.tenant_id = c.tenant_id and a.subject_kind = 'contact' and a.subject_id = c.contact_id
      and a.key = 'tier' and a.value_text = $2)
    and exists (select 1 from rmc_attribute_values a where a.tenant_id = c.tenant_id and a.subject_kind = 'conversation' and a.subject_id = c.id
      and a.key = 'seats' and a.value_number is not null and a.value_number >= $3 and a.value_number <= $4)
  order by c.last_activity_at desc, c.id desc limit 21`
const reportSql = `select c.department_id as key, d.name as name, count(*) as count from rmc_conversations c
  left join rmc_departments d on d.tenant_id = c.tenant_id and d.id = c.department_id
  where c.tenant_id = $1 and c.created_at >= $2 and c.created_at < $3 group by c.department_id, d.name order by count(*) desc`

const median = (values: Array<number>) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}
const time = async (work: () => Promise<unknown>) => {
  const t0 = performance.now()
  await work()
  const elapsed = performance.now() - t0
  sampleHeap()
  return elapsed
}
/** Runs both sides alternately (after a warm-up), and answers their medians. */
const compare = async (sdk: (i: number) => Promise<unknown>, baseline: (i: number) => Promise<unknown>, runs = iterations) => {
  // Long enough for both sides to reach their optimised code: a server runs the same paths for hours.
  for (let i = 0; i < 100; i++) {
    await sdk(-i - 1)
    await baseline(-i - 1)
  }
  const a: Array<number> = []
  const b: Array<number> = []
  for (let i = 0; i < runs; i++) {
    a.push(await time(() => sdk(i)))
    b.push(await time(() => baseline(i)))
  }
  return { sdk: median(a), baseline: median(b) }
}

const runTarget = async (target: Target): Promise<Array<BenchResult>> => {
  const loadStarted = performance.now()
  const loader = target.openLoader()
  const s = await seed(target, loader)
  await loader.destroy()
  console.log(`${target.name}: ${total} conversations loaded in ${Math.round((performance.now() - loadStarted) / 1000)} s`)
  const run = <A>(effect: Effect.Effect<A, unknown>) => Effect.runPromise(effect)
  const results: Array<BenchResult> = []
  const record = (name: string, m: { sdk: number; baseline: number }) => {
    results.push({ name, database: target.name, sdk_ms: round(m.sdk), baseline_ms: round(m.baseline), ratio: round(m.sdk / m.baseline) })
    console.log(results.at(-1))
  }
  const rawDetails = async (conversationId: string, department?: string) => {
    const rows = await target.raw(
      detailsSql(target.dialect, department !== undefined),
      department === undefined ? [s.tenantId, conversationId, 21, 21, benchAgent] : [s.tenantId, conversationId, 21, 21, benchAgent, department],
    )
    return rows.map((r) => ({ part: r.part, doc: JSON.parse(String(r.doc)) as unknown }))
  }
  // Both sides must read the same panel before their speeds mean anything.
  const snapshot = (await run(
    target.storage.query((r) => r.details.load(s.tenantId, s.conversationId, { history: 21, notes: 21 }, { agentId: benchAgent, role: "agent" })),
  ))!
  const rawParts = await rawDetails(s.conversationId)
  const docs = (part: string) => rawParts.filter((r) => r.part === part).map((r) => r.doc as Record<string, unknown>)
  const same = (a: ReadonlyArray<unknown>, b: ReadonlyArray<unknown>) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort())
  if (
    !same(
      docs("contact_note").map((d) => d.id),
      snapshot.notes.contact.map((n) => n.id),
    ) ||
    !same(
      docs("conversation_note").map((d) => d.id),
      snapshot.notes.conversation.map((n) => n.id),
    ) ||
    !same(
      docs("keyword").map((d) => d.id),
      snapshot.keywords.map((k) => k.id),
    ) ||
    !same(
      docs("label").map((d) => d.id),
      snapshot.labels.map((l) => l.id),
    ) ||
    !same(
      docs("history").map((d) => `${d.id} ${d.department_name}`),
      snapshot.history.map((h) => `${h.id} ${h.departmentName}`),
    ) ||
    !same(
      docs("chip").map((d) => `${d.conversation_id} ${d.id}`),
      snapshot.history.flatMap((h) => h.labels.map((l) => `${h.id} ${l.id}`)),
    ) ||
    docs("contact")[0]?.id !== snapshot.contact.id ||
    !same(
      docs("contact_attribute").map((d) => d.key),
      Object.keys(snapshot.attributes.contact),
    )
  ) {
    throw new Error("details: the SDK and the SQL disagree")
  }
  record(
    "details read",
    await compare(
      () => run(target.storage.query((r) => r.details.load(s.tenantId, s.conversationId, { history: 21, notes: 21 }, { agentId: benchAgent, role: "agent" }))),
      () => rawDetails(s.conversationId),
    ),
  )

  // The same read, on a conversation whose contact and itself hold 10 custom attribute values each.
  const attributedSnapshot = (await run(
    target.storage.query((r) => r.details.load(s.tenantId, s.attributed, { history: 21, notes: 21 }, { agentId: benchAgent, role: "agent" })),
  ))!
  const attributedParts = await rawDetails(s.attributed)
  const valueCount = Object.keys(attributedSnapshot.attributes.contact).length + Object.keys(attributedSnapshot.attributes.conversation).length
  if (valueCount !== 20 || attributedParts.filter((p) => String(p.part).endsWith("_attribute")).length !== 20) {
    throw new Error("details with attributes: the SDK and the SQL disagree")
  }
  record(
    "details read: 20 attribute values",
    await compare(
      () => run(target.storage.query((r) => r.details.load(s.tenantId, s.attributed, { history: 21, notes: 21 }, { agentId: benchAgent, role: "agent" }))),
      () => rawDetails(s.attributed),
    ),
  )

  // The same panel read by an agent of one department once the tenant keeps notes and history to
  // departments: the SDK reads the rules in its statement, the hand-written SQL knows them.
  const current = snapshot.settings ?? defaultTenantSettings(s.tenantId)
  await run(
    target.storage.transaction((r) => r.settings.put({ ...current, visibility: { notes: "department", history: "department" }, version: current.version + 1 })),
  )
  const department = snapshot.conversation.departmentId ?? s.departmentId
  const reader = { agentId: benchAgent, role: "agent" as const, departmentIds: [department] }
  const ruled = (await run(target.storage.query((r) => r.details.load(s.tenantId, s.conversationId, { history: 21, notes: 21 }, reader))))!
  const ruledParts = await rawDetails(s.conversationId, department)
  const ruledIds = (part: string) => ruledParts.filter((r) => r.part === part).map((r) => String((r.doc as Record<string, unknown>).id))
  if (
    !same(
      ruledIds("contact_note"),
      ruled.notes.contact.map((n) => n.id),
    ) ||
    !same(
      ruledIds("conversation_note"),
      ruled.notes.conversation.map((n) => n.id),
    ) ||
    !same(
      ruledIds("history"),
      ruled.history.map((h) => h.id),
    )
  ) {
    throw new Error("details under department rules: the SDK and the SQL disagree")
  }
  record(
    "details read, department rules on",
    await compare(
      () => run(target.storage.query((r) => r.details.load(s.tenantId, s.conversationId, { history: 21, notes: 21 }, reader))),
      () => rawDetails(s.conversationId, department),
    ),
  )

  const from = iso(start + 24 * 3_600_000)
  const to = iso(start + 40 * 24 * 3_600_000)
  const filter = { keywords: { allOf: [...s.keywordIds] }, labels: { anyOf: [s.labelIds[0]!] }, departmentIds: [s.departmentId], from, to }
  const viaSdk = await run(target.storage.query((r) => r.conversations.search(s.tenantId, filter, { limit: 21 })))
  const viaSql = await target.raw(searchSql(target.dialect), [s.tenantId, s.keywordIds[0], s.keywordIds[1], s.labelIds[0], s.departmentId, from, to])
  if (viaSdk.map((c) => c.id).join() !== viaSql.map((c) => c.id).join()) throw new Error("search: the SDK and the SQL disagree")
  record(
    "search: 2 keywords + label + department + dates",
    await compare(
      () => run(target.storage.query((r) => r.conversations.search(s.tenantId, filter, { limit: 21 }))),
      async () =>
        (await target.raw(searchSql(target.dialect), [s.tenantId, s.keywordIds[0], s.keywordIds[1], s.labelIds[0], s.departmentId, from, to])).map((row) => ({
          ...row,
          label_chips: JSON.parse(String(row.label_chips)) as unknown,
        })),
    ),
  )
  // Find by identity: the contact that holds a phone number, each run another of the tenant's.
  const identitySql = `select c.* from rmc_contact_identities i
    join rmc_contacts c on c.tenant_id = i.tenant_id and c.id = i.contact_id
    where i.tenant_id = $1 and i.kind = $2 and i.value = $3`
  const phoneAt = (i: number) => s.phones[((i % s.phones.length) + s.phones.length) % s.phones.length]!
  const bySdk = await run(target.storage.query((r) => r.contacts.findByIdentity(s.tenantId, { kind: "phone", value: phoneAt(3) })))
  const bySql = await target.raw(identitySql, [s.tenantId, "phone", phoneAt(3)])
  if (bySdk === null || bySql.length !== 1 || bySdk.id !== bySql[0]!.id) throw new Error("find by identity: the SDK and the SQL disagree")
  record(
    "find by identity (phone)",
    await compare(
      (i) => run(target.storage.query((r) => r.contacts.findByIdentity(s.tenantId, { kind: "phone", value: phoneAt(i) }))),
      async (i) =>
        (await target.raw(identitySql, [s.tenantId, "phone", phoneAt(i)])).map((row) => ({
          ...row,
          phones: JSON.parse(String(row.phones)) as unknown,
          channel_identities: JSON.parse(String(row.channel_identities)) as unknown,
        })),
    ),
  )
  // A picker's first page: 21 contacts whose name starts with "contact 1", A to Z.
  const pickerSql = `select * from rmc_contacts where tenant_id = $1 and normalized_name like $2 escape '!'
    order by normalized_name, id limit $3`
  const pickedBySdk = await run(target.storage.query((r) => r.contacts.listByNamePrefix(s.tenantId, "contact 1", { limit: 21 })))
  const pickedBySql = await target.raw(pickerSql, [s.tenantId, "contact 1%", 21])
  if (pickedBySdk.map((c) => c.id).join() !== pickedBySql.map((c) => c.id).join()) throw new Error("name prefix: the SDK and the SQL disagree")
  record(
    "contacts by name prefix (a picker's page)",
    await compare(
      () => run(target.storage.query((r) => r.contacts.listByNamePrefix(s.tenantId, "contact 1", { limit: 21 }))),
      async () =>
        (await target.raw(pickerSql, [s.tenantId, "contact 1%", 21])).map((row) => ({
          ...row,
          phones: JSON.parse(String(row.phones)) as unknown,
          channel_identities: JSON.parse(String(row.channel_identities)) as unknown,
        })),
    ),
  )

  const attributeFilter = {
    attributes: [
      { key: "tier", target: "contact", match: { kind: "in", texts: ["Gold"] } },
      { key: "seats", target: "conversation", match: { kind: "range", on: "number", min: 10, max: 60 } },
    ],
  } as const
  const attributeSearchParams = [s.tenantId, "Gold", 10, 60]
  const attributeViaSdk = await run(target.storage.query((r) => r.conversations.search(s.tenantId, attributeFilter, { limit: 21 })))
  const attributeViaSql = await target.raw(attributeSearchSql(target.dialect), attributeSearchParams)
  if (attributeViaSdk.length === 0 || attributeViaSdk.map((c) => c.id).join() !== attributeViaSql.map((c) => c.id).join()) {
    throw new Error("search by attributes: the SDK and the SQL disagree")
  }
  record(
    "search: contact enum + conversation number range",
    await compare(
      () => run(target.storage.query((r) => r.conversations.search(s.tenantId, attributeFilter, { limit: 21 }))),
      async () =>
        (await target.raw(attributeSearchSql(target.dialect), attributeSearchParams)).map((row) => ({
          ...row,
          label_chips: JSON.parse(String(row.label_chips)) as unknown,
        })),
    ),
  )
  const month = [iso(start), iso(start + 31 * 24 * 3_600_000)] as const
  record(
    "report per department over a month",
    await compare(
      () => run(target.storage.query((r) => r.conversations.volumes(s.tenantId, "department", month[0], month[1]))),
      () => target.raw(reportSql, [s.tenantId, month[0], month[1]]),
    ),
  )

  const event = (subjectId: string, type: string) => ({
    id: uuid(),
    tenantId: s.tenantId,
    type: type as "note.added",
    at: new Date().toISOString(),
    actorId: "alice",
    actorRole: "agent" as const,
    subjectId,
    conversationId: s.conversationId,
    contactId: s.contactId,
    before: null,
    after: { bench: true },
  })
  // The event row as each database's outbox wants it: SQLite's single writer takes positions from the
  // sequence row; on PostgreSQL the position and the transaction id are column defaults.
  const outbox = (e: ReturnType<typeof event>): Array<readonly [string, ReadonlyArray<unknown>]> =>
    target.dialect === "sqlite"
      ? [
          ["update rmc_outbox_sequence set position = position + 1 where id = 1", []],
          [
            `insert into rmc_activity (tenant_id, position, id, type, at, actor_id, actor_role, subject_id, conversation_id, contact_id, before_state, after_state)
             values ($1, (select position from rmc_outbox_sequence where id = 1), $2, $3, $4, $5, $6, $7, $8, $9, null, $10)`,
            [e.tenantId, e.id, e.type, e.at, e.actorId, e.actorRole, e.subjectId, e.conversationId, e.contactId, JSON.stringify(e.after)],
          ],
        ]
      : [
          [
            `insert into rmc_activity (tenant_id, id, type, at, actor_id, actor_role, subject_id, conversation_id, contact_id, before_state, after_state)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, null, $10)`,
            [e.tenantId, e.id, e.type, e.at, e.actorId, e.actorRole, e.subjectId, e.conversationId, e.contactId, JSON.stringify(e.after)],
          ],
        ]
  const note = () => ({
    id: uuid(),
    tenantId: s.tenantId,
    subject: { kind: "conversation" as const, id: s.conversationId },
    contactId: s.contactId,
    body: "Quote sent by e-mail.",
    authorId: "alice",
    createdAt: new Date().toISOString(),
    editedAt: null,
    deletedAt: null,
    deletedBy: null,
    revisions: [],
    version: 1,
  })
  record(
    "add a note",
    await compare(
      () => {
        const n = note()
        return run(target.storage.transaction((r) => Effect.andThen(r.notes.insert(n), r.activity.append([event(n.id, "note.added")]))))
      },
      () => {
        const n = note()
        return target.rawTransaction([
          [
            `insert into rmc_notes (tenant_id, id, subject_kind, subject_id, contact_id, body, author_id, created_at, edited_at, deleted_at, deleted_by, revisions, version)
             values ($1, $2, 'conversation', $3, $4, $5, $6, $7, null, null, null, '[]', 1)`,
            [n.tenantId, n.id, n.subject.id, n.contactId, n.body, n.authorId, n.createdAt],
          ],
          ...outbox(event(n.id, "note.added")),
        ])
      },
      Math.max(iterations, 1000),
    ),
  )
  // Each run applies a label to a conversation that does not have it yet.
  const targets = s.conversationIds.filter((_, i) => i % 2 === 1)
  let cursor = 0
  const next = () => targets[cursor++ % targets.length]!
  record(
    "apply a label",
    await compare(
      () => {
        const conversationId = next()
        return run(
          target.storage.transaction((r) =>
            Effect.andThen(
              r.tagging.applyLabel(s.tenantId, conversationId, s.labelIds[4]!, new Date().toISOString()),
              r.activity.append([event(conversationId, "label.applied")]),
            ),
          ),
        )
      },
      () => {
        const conversationId = next()
        return target.rawTransaction([
          [
            target.dialect === "postgres"
              ? "insert into rmc_conversation_labels (tenant_id, conversation_id, label_id, added_at) values ($1, $2, $3, $4) on conflict do nothing"
              : "insert or ignore into rmc_conversation_labels (tenant_id, conversation_id, label_id, added_at) values ($1, $2, $3, $4)",
            [s.tenantId, conversationId, s.labelIds[4], new Date().toISOString()],
          ],
          ...outbox(event(conversationId, "label.applied")),
        ])
      },
      Math.max(iterations, 1000),
    ),
  )
  const history = await compare(
    () => run(target.storage.query((r) => r.details.load("tenant-history", s.heavy, { history: 21, notes: 21 }, { agentId: benchAgent, role: "agent" }))),
    () => run(target.storage.query((r) => r.details.load("tenant-history", s.light, { history: 21, notes: 21 }, { agentId: benchAgent, role: "agent" }))),
  )
  results.push({
    name: "details read: 10,000 past conversations and notes vs 25",
    database: target.name,
    sdk_ms: round(history.sdk),
    baseline_ms: round(history.baseline),
    ratio: round(history.sdk / history.baseline),
  })
  console.log(results.at(-1))
  return results
}

const erasedMark = "[erased]"
const erasedJson = JSON.stringify({ erased: true })

/** Loads a contact to erase: conversations with ten events, a note (every tenth edited twice) and a tenth of a call each. */
/** Who a loaded contact is: its name and identities. */
interface Person {
  readonly name: string
  readonly phone: string
  readonly otherPhone: string
  readonly email: string
  readonly handle: string
}

const erasablePerson: Person = { name: "Erasable Person", phone: "+33612345678", otherPhone: "+33698765432", email: "erasable@example.com", handle: "erasable" }

const loadContactWithHistory = async (target: Target, loader: Kysely<any>, tenantId: string, person: Person = erasablePerson, count = eraseConversations) => {
  const contactId = uuid()
  await insertAll(loader, "rmc_contacts", [
    {
      tenant_id: tenantId,
      id: contactId,
      full_name: person.name,
      type: "Client",
      primary_phone: person.phone,
      phones: JSON.stringify([person.otherPhone]),
      email: person.email,
      channel_identities: JSON.stringify([{ channel: "telegram", handle: `@${person.handle}` }]),
      created_at: iso(start),
      last_activity_at: iso(start),
      version: 1,
    },
  ])
  const conversations = Array.from({ length: count }, (_, i) => ({
    tenant_id: tenantId,
    id: uuid(),
    contact_id: contactId,
    channel: "sms",
    status: "resolved",
    assignee_id: "alice",
    department_id: null,
    created_at: iso(start + i * 60_000),
    last_activity_at: iso(start + i * 60_000),
    assigned_at: null,
    version: 1,
  }))
  await insertAll(loader, "rmc_conversations", conversations)
  const revisions = JSON.stringify([
    { body: "Earlier body with a name", editedBy: "alice", editedAt: iso(start) },
    { body: "Another earlier body", editedBy: "alice", editedAt: iso(start) },
  ])
  await insertAll(
    loader,
    "rmc_notes",
    conversations.map((c, i) => ({
      tenant_id: tenantId,
      id: uuid(),
      subject_kind: "conversation",
      subject_id: c.id,
      contact_id: contactId,
      body: `Called ${person.name} back on ${person.phone}.`,
      author_id: "alice",
      created_at: c.created_at,
      edited_at: i % 10 === 0 ? c.created_at : null,
      deleted_at: null,
      deleted_by: null,
      revisions: i % 10 === 0 ? revisions : "[]",
      version: i % 10 === 0 ? 3 : 1,
    })),
  )
  await insertAll(
    loader,
    "rmc_call_attempts",
    conversations
      .filter((_, i) => i % 10 === 0)
      .map((c) => ({
        tenant_id: tenantId,
        id: uuid(),
        conversation_id: c.id,
        contact_id: contactId,
        to_number: person.phone,
        idempotency_key: uuid(),
        requested_by: "alice",
        status: "completed",
        provider_call_id: uuid(),
        failure_reason: null,
        created_at: c.created_at,
        updated_at: c.created_at,
      })),
  )
  // Positions: SQLite's are handed out by the sequence row, moved past the loaded events; PostgreSQL's are column defaults.
  const [{ last }] = (await target.raw("select coalesce(max(position), 0) as last from rmc_activity", [])) as [{ last: number }]
  const events = conversations.flatMap((c, i) =>
    Array.from({ length: 10 }, (_, n) => ({
      tenant_id: tenantId,
      ...(target.dialect === "sqlite" && { position: Number(last) + i * 10 + n + 1 }),
      id: uuid(),
      type: n === 0 ? "conversation.opened" : "note.added",
      at: iso(start + i * 60_000 + n),
      actor_id: "alice",
      actor_role: "agent",
      subject_id: c.id,
      conversation_id: c.id,
      contact_id: contactId,
      before_state: null,
      after_state: JSON.stringify({ body: `Called ${person.name} back on ${person.phone}.` }),
    })),
  )
  await insertAll(loader, "rmc_activity", events)
  if (target.dialect === "sqlite") await target.raw("update rmc_outbox_sequence set position = (select max(position) from rmc_activity) where id = 1", [])
  return contactId
}

/** A hand-written event on a contact: its statements, the outbox sequence first on SQLite. */
const eventStatements = (
  target: Target,
  e: { tenantId: string; type: string; at: string; actorId: string; actorRole: string; subjectId: string; contactId: string; after: unknown },
): Array<readonly [string, ReadonlyArray<unknown>]> => {
  const values = [e.tenantId, uuid(), e.type, e.at, e.actorId, e.actorRole, e.subjectId, e.contactId, JSON.stringify(e.after)]
  return target.dialect === "sqlite"
    ? [
        ["update rmc_outbox_sequence set position = position + 1 where id = 1", []],
        [
          `insert into rmc_activity (tenant_id, position, id, type, at, actor_id, actor_role, subject_id, conversation_id, contact_id, before_state, after_state)
           values ($1, (select position from rmc_outbox_sequence where id = 1), $2, $3, $4, $5, $6, $7, null, $8, null, $9)`,
          values,
        ],
      ]
    : [
        [
          `insert into rmc_activity (tenant_id, id, type, at, actor_id, actor_role, subject_id, conversation_id, contact_id, before_state, after_state)
           values ($1, $2, $3, $4, $5, $6, $7, null, $8, null, $9)`,
          values,
        ],
      ]
}

/** What a developer would write to erase a contact: the same updates, note revisions rewritten by the database's JSON functions. */
const eraseSql = (target: Target, tenantId: string, contactId: string, at: string) => {
  const revisions =
    target.dialect === "postgres"
      ? `coalesce((select json_agg(jsonb_set(r, '{body}', to_jsonb($3::text)))::text from jsonb_array_elements(revisions::jsonb) r), '[]')`
      : `(select json_group_array(json_set(value, '$.body', $3)) from json_each(revisions))`
  const event = eventStatements(target, {
    tenantId,
    type: "contact.erased",
    at,
    actorId: "dpo",
    actorRole: "admin",
    subjectId: contactId,
    contactId,
    after: { reason: "Erasure request", notes: eraseConversations },
  })
  return target.rawTransaction([
    [`select * from rmc_contacts where tenant_id = $1 and id = $2${target.dialect === "postgres" ? " for update" : ""}`, [tenantId, contactId]],
    [
      `update rmc_contacts set full_name = $3, normalized_name = $5, primary_phone = null, phones = '[]', email = null, channel_identities = '[]', erased_at = $4, version = version + 1
       where tenant_id = $1 and id = $2`,
      [tenantId, contactId, erasedMark, at, contactNameKey(erasedMark)],
    ],
    // The contact's identities are freed for other contacts.
    [`delete from rmc_contact_identities where tenant_id = $1 and contact_id = $2`, [tenantId, contactId]],
    [
      `update rmc_notes set body = ${target.dialect === "postgres" ? "$3::text" : "$3"}, version = version + 1, revisions = case when revisions = '[]' then revisions else ${revisions} end
       where tenant_id = $1 and contact_id = $2`,
      [tenantId, contactId, erasedMark],
    ],
    [
      `select id from rmc_webhook_dead_letters where tenant_id = $1 and event_id in (select id from rmc_activity where tenant_id = $1 and contact_id = $2)`,
      [tenantId, contactId],
    ],
    [
      `update rmc_activity set before_state = case when before_state is null then null else $3 end, after_state = case when after_state is null then null else $3 end
       where tenant_id = $1 and contact_id = $2`,
      [tenantId, contactId, erasedJson],
    ],
    [
      `update rmc_call_attempts set to_number = $3, provider_call_id = null, failure_reason = case when failure_reason is null then null else ${target.dialect === "postgres" ? "$3::varchar" : "$3"} end
       where tenant_id = $1 and contact_id = $2`,
      [tenantId, contactId, erasedMark],
    ],
    ...event,
  ])
}

/** The store's erasure, as `eraseContact` runs it in one transaction. */
const eraseSdk = (target: Target, tenantId: string, contactId: string, at: string) =>
  Effect.runPromise(
    target.storage.transaction((r) =>
      Effect.gen(function* () {
        const contact = (yield* r.contacts.getLocked(tenantId, contactId, "update"))!
        yield* r.contacts.update(
          {
            ...contact,
            fullName: erasedMark,
            primaryPhone: null,
            phones: [],
            email: null,
            channelIdentities: [],
            erasedAt: at,
            version: contact.version + 1,
          },
          contact,
        )
        const notes = yield* r.notes.eraseByContact(tenantId, contactId)
        yield* r.webhooks.eraseDeadLettersByContact(tenantId, contactId)
        yield* r.activity.eraseByContact(tenantId, contactId)
        yield* r.calls.eraseByContact(tenantId, contactId)
        yield* r.activity.append([
          {
            id: uuid(),
            tenantId,
            type: "contact.erased",
            at,
            actorId: "dpo",
            actorRole: "admin",
            subjectId: contactId,
            conversationId: null,
            contactId,
            before: null,
            after: { reason: "Erasure request", notes },
          },
        ])
      }),
    ),
  )

/** Both sides erase a freshly loaded contact, alternately; answers their medians. */
const benchErasure = async (target: Target): Promise<BenchResult> => {
  const tenantId = "tenant-erase"
  const a: Array<number> = []
  const b: Array<number> = []
  for (let i = 0; i < eraseRuns; i++) {
    const loader = target.openLoader()
    const [viaSdk, viaSql] = [await loadContactWithHistory(target, loader, tenantId), await loadContactWithHistory(target, loader, tenantId)]
    await loader.destroy()
    if (target.name === "postgres") await target.raw("analyze", [])
    const at = new Date().toISOString()
    // On SQLite both sides write one file: its write-ahead log is checkpointed before each run, so
    // that no side pays for the pages the loading or the other side left in it (an automatic
    // checkpoint lands in whichever run crosses the log's threshold).
    const settled = () => (target.name === "sqlite" ? target.raw("pragma wal_checkpoint(truncate)", []) : Promise.resolve([]))
    const sides = [
      () => settled().then(() => time(() => eraseSdk(target, tenantId, viaSdk, at)).then((ms) => a.push(ms))),
      () => settled().then(() => time(() => eraseSql(target, tenantId, viaSql, at)).then((ms) => b.push(ms))),
    ]
    for (const side of i % 2 === 0 ? sides : sides.reverse()) await side()
    if (i === 0) {
      // Both sides must have erased the same before their speeds mean anything.
      const left = async (contactId: string) =>
        JSON.stringify(
          await target.raw(
            `select (select count(*) from rmc_notes where tenant_id = $1 and contact_id = $2 and body <> $3) as notes,
               (select count(*) from rmc_notes where tenant_id = $1 and contact_id = $2 and revisions like '%earlier%') as revisions,
               (select count(*) from rmc_activity where tenant_id = $1 and contact_id = $2 and after_state like '%Erasable%') as events,
               (select count(*) from rmc_call_attempts where tenant_id = $1 and contact_id = $2 and to_number <> $3) as calls,
               (select count(*) from rmc_contacts where tenant_id = $1 and id = $2 and full_name <> $3) as contacts`,
            [tenantId, contactId, erasedMark],
          ),
        )
      const [sdkLeft, sqlLeft] = [await left(viaSdk), await left(viaSql)]
      if (sdkLeft !== sqlLeft || !sdkLeft.includes('"notes":0') || !/"revisions":"?0/.test(sdkLeft) || !/"events":"?0/.test(sdkLeft)) {
        throw new Error(`erasure: the SDK and the SQL disagree (${sdkLeft} / ${sqlLeft})`)
      }
    }
  }
  const result = {
    name: `erase a contact: ${eraseConversations.toLocaleString("en")} conversations, ${(eraseConversations * 10).toLocaleString("en")} events`,
    database: target.name,
    sdk_ms: round(median(a)),
    baseline_ms: round(median(b)),
    ratio: round(median(a) / median(b)),
  }
  console.log(result)
  return result
}

/** A contact's identities as the store holds them, claimed by the loader for a loaded contact. */
const claimIdentities = (loader: Kysely<any>, tenantId: string, contactId: string, person: Person) =>
  insertAll(loader, "rmc_contact_identities", [
    { tenant_id: tenantId, kind: "phone", value: person.phone, contact_id: contactId },
    { tenant_id: tenantId, kind: "phone", value: person.otherPhone, contact_id: contactId },
    { tenant_id: tenantId, kind: "email", value: person.email, contact_id: contactId },
    { tenant_id: tenantId, kind: "telegram", value: person.handle, contact_id: contactId },
  ])

let people = 0
/** A person no loaded contact has been yet: each merge run loads four contacts with identities of their own. */
const nextPerson = (): Person => {
  const n = String(people++).padStart(3, "0")
  return { name: `Merged Person ${n}`, phone: `+336110${n}00`, otherPhone: `+336110${n}01`, email: `merged-${n}@example.com`, handle: `merged${n}` }
}

/**
 * What a developer would write to merge contact `secondaryId` into `primaryId` with what an unmerge
 * needs kept: the tenant's merge rules read, both contacts locked, no open merge into the secondary,
 * both contacts' custom values read, the secondary turned into a tombstone that gives its identities
 * to the primary, then for each kind of record the ids read (kept in the merge record) and one
 * UPDATE, the merge record and an event on each contact.
 */
const mergeSql = (target: Target, tenantId: string, primaryId: string, secondaryId: string, at: string) =>
  target.rawWork(async (query) => {
    const run = async (statements: ReadonlyArray<readonly [string, ReadonlyArray<unknown>]>) => {
      for (const [sql, params] of statements) await query(sql, params)
    }
    await query("select document from rmc_tenant_settings where tenant_id = $1", [tenantId])
    const locked = await query(
      `select * from rmc_contacts where tenant_id = $1 and id in ($2, $3) order by id${target.dialect === "postgres" ? " for update" : ""}`,
      [tenantId, primaryId, secondaryId],
    )
    const primary = locked.find((row) => row.id === primaryId)!
    const secondary = locked.find((row) => row.id === secondaryId)!
    await query(`select id from rmc_contact_merges where tenant_id = $1 and primary_id = $2 and merged_at >= $3 and unmerged_at is null`, [
      tenantId,
      secondaryId,
      new Date(Date.parse(at) - 30 * 86_400_000).toISOString(),
    ])
    await query(`select * from rmc_attribute_values where tenant_id = $1 and subject_kind = 'contact' and subject_id in ($2, $3)`, [
      tenantId,
      primaryId,
      secondaryId,
    ])
    const json = (value: unknown) => JSON.parse(String(value)) as Array<any>
    const phones = [...json(primary.phones), secondary.primary_phone, ...json(secondary.phones)]
    const handles = [...json(primary.channel_identities), ...json(secondary.channel_identities), { channel: "email", handle: secondary.email }]
    const handleOf = (h: { handle: string }) => h.handle.replace(/^@/, "")
    await run([
      [
        `update rmc_contacts set primary_phone = null, phones = '[]', email = null, channel_identities = '[]', merged_into = $3, merged_at = $4, version = version + 1
         where tenant_id = $1 and id = $2`,
        [tenantId, secondaryId, primaryId, at],
      ],
      ["delete from rmc_contact_identities where tenant_id = $1 and contact_id = $2", [tenantId, secondaryId]],
      [
        `update rmc_contacts set phones = $3, channel_identities = $4, version = version + 1 where tenant_id = $1 and id = $2`,
        [tenantId, primaryId, JSON.stringify(phones), JSON.stringify(handles)],
      ],
      [
        `insert into rmc_contact_identities (tenant_id, kind, value, contact_id) values ($1, 'phone', $2, $6), ($1, 'phone', $3, $6), ($1, 'email', $4, $6), ($1, 'telegram', $5, $6)`,
        [tenantId, secondary.primary_phone, json(secondary.phones)[0], secondary.email, handleOf(json(secondary.channel_identities)[0]), primaryId],
      ],
    ])
    const moves: ReadonlyArray<readonly [string, string]> = [
      ["rmc_conversations", "contact_id = $3, version = version + 1"],
      ["rmc_notes", "contact_id = $3, version = version + 1, subject_id = case when subject_kind = 'contact' and subject_id = $2 then $3 else subject_id end"],
      ["rmc_call_attempts", "contact_id = $3"],
      ["rmc_activity", "contact_id = $3"],
    ]
    const moved: Record<string, Array<unknown>> = {}
    for (const [table, set] of moves) {
      moved[table] = (await query(`select id from ${table} where tenant_id = $1 and contact_id = $2`, [tenantId, secondaryId])).map((row) => row.id)
      await query(`update ${table} set ${set} where tenant_id = $1 and contact_id = $2`, [tenantId, secondaryId, primaryId])
    }
    const mergeId = uuid()
    await query(
      `insert into rmc_contact_merges (tenant_id, id, primary_id, secondary_id, merged_at, merged_by, primary_before, primary_after, secondary_before, attributes, moved_identities, moved, unmerged_at, unmerged_by)
       values ($1, $2, $3, $4, $5, 'sam', $6, $7, $8, $9, $10, $11, null, null)`,
      [
        tenantId,
        mergeId,
        primaryId,
        secondaryId,
        at,
        JSON.stringify(primary),
        JSON.stringify({ ...primary, phones, channel_identities: handles }),
        JSON.stringify(secondary),
        JSON.stringify({ before: {}, after: {} }),
        JSON.stringify([secondary.primary_phone, secondary.email]),
        JSON.stringify(moved),
      ],
    )
    const counts = Object.fromEntries(Object.entries(moved).map(([table, ids]) => [table, ids.length]))
    for (const contactId of [primaryId, secondaryId]) {
      await run(
        eventStatements(target, {
          tenantId,
          type: "contact.merged",
          at,
          actorId: "sam",
          actorRole: "supervisor",
          subjectId: contactId,
          contactId,
          after: { mergeId, primaryId, secondaryId, moved: counts },
        }),
      )
    }
  })

/**
 * Both sides merge a freshly loaded contact with `eraseConversations` conversations (ten events, a
 * note and a tenth of a call each) into a freshly loaded one with a handful: the SDK side is the
 * whole `mergeContacts` operation of the built package; answers their medians.
 */
const benchMerge = async (target: Target): Promise<BenchResult> => {
  const tenantId = "tenant-merge"
  const api = (await import(new URL(`../${dist}/index.js`, import.meta.url).href)) as typeof import("../src")
  const rmc = api.createRmc({ storage: kyselyStorage({ db: target.db, dialect: target.dialect }) })
  const sam = rmc.as({ tenantId, agentId: "sam", role: "supervisor" })
  const a: Array<number> = []
  const b: Array<number> = []
  try {
    for (let i = 0; i < eraseRuns; i++) {
      const loader = target.openLoader()
      const load = async (conversations: number) => {
        const person = nextPerson()
        const contactId = await loadContactWithHistory(target, loader, tenantId, person, conversations)
        await claimIdentities(loader, tenantId, contactId, person)
        return contactId
      }
      const sdk = { primaryId: await load(5), secondaryId: await load(eraseConversations) }
      const bySql = { primaryId: await load(5), secondaryId: await load(eraseConversations) }
      await loader.destroy()
      if (target.name === "postgres") await target.raw("analyze", [])
      const at = new Date().toISOString()
      const sides = [
        () => time(() => sam.mergeContacts(sdk)).then((ms) => a.push(ms)),
        () => time(() => mergeSql(target, tenantId, bySql.primaryId, bySql.secondaryId, at)).then((ms) => b.push(ms)),
      ]
      for (const side of i % 2 === 0 ? sides : sides.reverse()) await side()
      if (i === 0) {
        // Both sides must have moved the same before their speeds mean anything.
        const state = async (ids: { primaryId: string; secondaryId: string }) =>
          JSON.stringify(
            await target.raw(
              `select (select count(*) from rmc_conversations where tenant_id = $1 and contact_id = $2) as conversations,
                 (select count(*) from rmc_notes where tenant_id = $1 and contact_id = $2) as notes,
                 (select count(*) from rmc_call_attempts where tenant_id = $1 and contact_id = $2) as calls,
                 (select count(*) from rmc_activity where tenant_id = $1 and contact_id = $2) as activity,
                 (select count(*) from rmc_activity where tenant_id = $1 and contact_id = $3) as left_behind,
                 (select count(*) from rmc_contact_identities where tenant_id = $1 and contact_id = $2) as identities,
                 (select count(*) from rmc_contacts where tenant_id = $1 and id = $3 and merged_into = $2) as tombstones,
                 (select count(*) from rmc_contact_merges where tenant_id = $1 and primary_id = $2) as merges`,
              [tenantId, ids.primaryId, ids.secondaryId],
            ),
          )
        const [sdkState, sqlState] = [await state(sdk), await state(bySql)]
        if (sdkState !== sqlState || !new RegExp(`"conversations":"?${eraseConversations + 5}\\b`).test(sdkState) || !/"tombstones":"?1/.test(sdkState)) {
          throw new Error(`merge: the SDK and the SQL disagree (${sdkState} / ${sqlState})`)
        }
      }
    }
  } finally {
    await rmc.dispose()
  }
  const result = {
    name: mergeRowName,
    database: target.name,
    sdk_ms: round(median(a)),
    baseline_ms: round(median(b)),
    ratio: round(median(a) / median(b)),
  }
  console.log(result)
  return result
}

const all: Array<BenchResult> = []
const measured: Array<string> = []
for (const name of databases) {
  let target: Target
  try {
    target = name === "postgres" ? await openPostgres() : await openSqlite()
  } catch (error) {
    console.log(`${name}: skipped (${(error as Error).message})`)
    continue
  }
  try {
    all.push(...(await runTarget(target)))
    all.push(await benchErasure(target))
    all.push(await benchMerge(target))
    measured.push(name)
  } finally {
    await target.close()
  }
}
clearInterval(sampler)
const heapMiB = Math.round(heapPeak / 1024 / 1024)
console.log(`heap peak: ${heapMiB} MiB`)

const targetsOf: Record<string, string> = {
  "details read": "≤ 1.25",
  "details read, department rules on": "≤ 1.25",
  "find by identity (phone)": "≤ 1.25",
  "search: 2 keywords + label + department + dates": "≤ 1.5",
  "details read: 20 attribute values": "≤ 1.25",
  "search: contact enum + conversation number range": "≤ 1.5",
  "report per department over a month": "≤ 1.5",
  "add a note": "≤ 1.5",
  "apply a label": "≤ 1.5",
  "details read: 10,000 past conversations and notes vs 25": "≤ 1.2",
  [`erase a contact: ${eraseConversations.toLocaleString("en")} conversations, ${(eraseConversations * 10).toLocaleString("en")} events`]: "≤ 1.5",
  [mergeRowName]: "≤ 1.5",
}
if (!dryRun) saveResults(measured, all)
if (!dryRun)
  saveSection(
    "storage",
    `## Storage

\`npm run bench -- --conversations ${total}\` on ${cpus().length} cores (${cpus()[0]?.model ?? "unknown CPU"}), Node ${process.version},
${new Date().toISOString().slice(0, 10)}: ${total.toLocaleString("en")} conversations across ${tenants} tenants (with contacts,
departments, keywords, labels, tagging and notes), plus one contact with 10,000 past conversations and 10,000 notes and one with 25 and 50.
Each operation runs ${iterations} times (writes ${Math.max(iterations, 1000)}), alternating the SDK's Kysely store and
hand-written SQL through the same driver (\`node:sqlite\` / \`pg\`) doing the same work; figures are medians in ms, and
\`ratio\` is SDK / SQL. The last row compares the SDK with itself: the details read of the contact with 10,000
past conversations and 10,000 notes over the one with 25 and 50, both filling every page. Node heap peak during the whole run: ${heapMiB} MiB. The machine's load average
was ${loadAtStart.toFixed(1)} when the run began.

| operation | database | SDK ms | SQL ms | ratio | target |
|---|---|---|---|---|---|
${all.map((r) => `| ${r.name} | ${r.database} | ${r.sdk_ms} | ${r.baseline_ms} | ${r.ratio} | ${targetsOf[r.name] ?? ""} |`).join("\n")}

How to read it: the SQL side is the statement a developer would write by hand and run through the driver
(a one-statement details read returning the same parts as the SDK's, EXISTS subqueries for the search, a GROUP BY for
the report, and for the writes a transaction with the insert and the event insert, preceded on SQLite by the outbox
sequence update; for the erasure, a transaction with one UPDATE per table, the note revisions rewritten by the database's
JSON functions, and the erasure event, each side erasing a freshly loaded contact ${eraseRuns} times; for the merge, a transaction
that reads the tenant's rules, locks both contacts, turns the secondary into a tombstone whose identities go to the primary,
reads the ids then moves each kind of record with one UPDATE, and writes the merge record and an event on each contact, against the
whole \`mergeContacts\` operation, each side merging a freshly loaded contact ${eraseRuns} times). The SDK side is the built package: query building (compiled once per statement shape), the typed
mapping of rows to domain values and the Effect runtime.
A ratio above its target is reported as it is measured.`,
  )
if (!process.argv.includes("--no-concurrent")) await benchConcurrentWriters(writers)
process.exit(0)
