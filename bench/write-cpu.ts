// CPU per write, without disk or network: on an in-memory SQLite database, the same "add a note" done
// by the driver alone (`raw`), by a bare Kysely transaction (`kysely`), by the store's unit of work
// (`store`, `label` for applying a label) and by the whole operation through `createRmc` (`rmc`).
// Shows where the SDK's own time goes, which the storage benchmark hides behind each commit's fsync.
// Run after `npm run build`: `npx tsx bench/write-cpu.ts` (--only raw,store,... --n <calls per round>
// --rounds <n> --dist <dir> to measure another build; --profile <file> writes a CPU profile of the
// measured rounds). Prints, per side, the best round's median time and CPU (user + system) per call.
import { writeFileSync } from "node:fs"
import { Session } from "node:inspector/promises"
import { DatabaseSync } from "node:sqlite"
import { Effect } from "effect"
import { Kysely, SqliteDialect, type SqliteStatement, sql } from "kysely"

const flag = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? process.argv[i + 1]! : fallback
}
const dist = flag("dist", "dist")
const kysely = (await import(new URL(`../${dist}/kysely.js`, import.meta.url).href)) as typeof import("../src/adapters/kysely")
const api = (await import(new URL(`../${dist}/index.js`, import.meta.url).href)) as typeof import("../src")
const calls = Number(flag("n", "2000"))
const rounds = Number(flag("rounds", "6"))
const sides = flag("only", "raw,kysely,store,label,rmc").split(",")

// One connection shared by the driver and Kysely, so that both write to the same tables.
const database = new DatabaseSync(":memory:")
database.exec("pragma foreign_keys = on")
const prepared = new Map<string, SqliteStatement>()
const db = new Kysely<any>({
  dialect: new SqliteDialect({
    database: {
      close: () => database.close(),
      prepare: (text) => {
        const known = prepared.get(text)
        if (known !== undefined) return known
        const statement = database.prepare(text)
        const wrapped: SqliteStatement = {
          reader: statement.columns().length > 0,
          all: (parameters) => statement.all(...(parameters as Array<never>)),
          run: (parameters) => statement.run(...(parameters as Array<never>)),
          iterate: (parameters) => statement.iterate(...(parameters as Array<never>)),
        }
        prepared.set(text, wrapped)
        return wrapped
      },
    },
  }),
})
await kysely.migrateToLatest(db, { dialect: "sqlite" })

const tenantId = "tenant-cpu"
const iso = () => new Date().toISOString()
const contactId = crypto.randomUUID()
const labelId = crypto.randomUUID()
const conversations = Array.from({ length: 20_000 }, () => crypto.randomUUID())
const conversationId = conversations[0]!
await db
  .insertInto("rmc_contacts")
  .values({
    tenant_id: tenantId,
    id: contactId,
    full_name: "Contact",
    type: "Client",
    primary_phone: null,
    phones: "[]",
    email: null,
    channel_identities: "[]",
    created_at: iso(),
    last_activity_at: iso(),
    version: 1,
  })
  .execute()
for (let i = 0; i < conversations.length; i += 400) {
  await db
    .insertInto("rmc_conversations")
    .values(
      conversations.slice(i, i + 400).map((id) => ({
        tenant_id: tenantId,
        id,
        contact_id: contactId,
        channel: "email",
        status: "open",
        assignee_id: null,
        department_id: null,
        created_at: iso(),
        last_activity_at: iso(),
        assigned_at: null,
        version: 1,
      })),
    )
    .execute()
}
await db
  .insertInto("rmc_labels")
  .values({
    tenant_id: tenantId,
    id: labelId,
    name: "Label",
    normalized_name: "label",
    color: "#aabbcc",
    description: null,
    created_by: "bench",
    created_at: iso(),
    archived_at: null,
  })
  .execute()
const storage = kysely.makeKyselyStorage({ db, dialect: "sqlite" })
const rmc = api.createRmc({ storage: kysely.kyselyStorage({ db, dialect: "sqlite" }) })
const alice = rmc.as({ tenantId, agentId: "alice", role: "agent" })

const noteSql = `insert into rmc_notes (tenant_id, id, subject_kind, subject_id, contact_id, body, author_id, created_at, edited_at, deleted_at, deleted_by, revisions, version)
  values (?, ?, 'conversation', ?, ?, ?, ?, ?, null, null, null, '[]', 1)`
const eventSql = `insert into rmc_activity (tenant_id, position, id, type, at, actor_id, actor_role, subject_id, conversation_id, contact_id, before_state, after_state)
  values (?, (select position from rmc_outbox_sequence where id = 1), ?, ?, ?, ?, ?, ?, ?, ?, null, ?)`
const rawNote = database.prepare(noteSql)
const rawSequence = database.prepare("update rmc_outbox_sequence set position = position + 1 where id = 1")
const rawEvent = database.prepare(eventSql)
const event = (subjectId: string) => ({
  id: crypto.randomUUID(),
  tenantId,
  type: "note.added" as const,
  at: iso(),
  actorId: "alice",
  actorRole: "agent" as const,
  subjectId,
  conversationId,
  contactId,
  before: null,
  after: { bench: true },
})
const note = (id: string) => ({
  id,
  tenantId,
  subject: { kind: "conversation" as const, id: conversationId },
  contactId,
  body: "Quote sent by e-mail.",
  authorId: "alice",
  createdAt: iso(),
  editedAt: null,
  deletedAt: null,
  deletedBy: null,
  revisions: [],
  version: 1,
})
let next = 0
const write: Record<string, () => Promise<unknown>> = {
  raw: async () => {
    const id = crypto.randomUUID()
    const e = event(id)
    database.exec("begin")
    rawNote.run(tenantId, id, conversationId, contactId, "Quote sent by e-mail.", "alice", iso())
    rawSequence.run()
    rawEvent.run(tenantId, e.id, e.type, e.at, e.actorId, e.actorRole, e.subjectId, e.conversationId, e.contactId, JSON.stringify(e.after))
    database.exec("commit")
  },
  kysely: () =>
    db.transaction().execute(async (trx) => {
      const id = crypto.randomUUID()
      const e = event(id)
      await sql`insert into rmc_notes (tenant_id, id, subject_kind, subject_id, contact_id, body, author_id, created_at, edited_at, deleted_at, deleted_by, revisions, version)
        values (${tenantId}, ${id}, 'conversation', ${conversationId}, ${contactId}, ${"Quote sent by e-mail."}, ${"alice"}, ${iso()}, null, null, null, '[]', 1)`.execute(
        trx,
      )
      await sql`update rmc_outbox_sequence set position = position + 1 where id = 1`.execute(trx)
      await sql`insert into rmc_activity (tenant_id, position, id, type, at, actor_id, actor_role, subject_id, conversation_id, contact_id, before_state, after_state)
        values (${tenantId}, (select position from rmc_outbox_sequence where id = 1), ${e.id}, ${e.type}, ${e.at}, ${e.actorId}, ${e.actorRole}, ${e.subjectId},
        ${e.conversationId}, ${e.contactId}, null, ${JSON.stringify(e.after)})`.execute(trx)
    }),
  store: () => {
    const id = crypto.randomUUID()
    return Effect.runPromise(storage.transaction((r) => Effect.andThen(r.notes.insert(note(id)), r.activity.append([event(id)]))))
  },
  // A conversation of its own each time, until they all carry the label; then applying changes nothing.
  label: () => {
    const target = conversations[next++ % conversations.length]!
    return Effect.runPromise(
      storage.transaction((r) => Effect.andThen(r.tagging.applyLabel(tenantId, target, labelId, iso()), r.activity.append([event(target)]))),
    )
  },
  rmc: () => alice.addNote({ subject: { kind: "conversation", id: conversationId }, body: "Quote sent by e-mail." }),
}

const median = (values: Array<number>) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
for (const side of sides) for (let i = 0; i < 500; i++) await write[side]!()
const session = new Session()
const profile = flag("profile", "")
if (profile !== "") {
  session.connect()
  await session.post("Profiler.enable")
  await session.post("Profiler.start")
}
const best: Record<string, { median: number; cpu: number }> = {}
for (let round = 0; round < rounds; round++) {
  for (const side of sides) {
    const times: Array<number> = []
    const cpu = process.cpuUsage()
    for (let i = 0; i < calls; i++) {
      const started = performance.now()
      await write[side]!()
      times.push(performance.now() - started)
    }
    const used = process.cpuUsage(cpu)
    best[side] ??= { median: Infinity, cpu: Infinity }
    const b = best[side]
    b.median = Math.min(b.median, median(times) * 1000)
    b.cpu = Math.min(b.cpu, (used.user + used.system) / calls)
  }
}
if (profile !== "") writeFileSync(profile, JSON.stringify((await session.post("Profiler.stop")).profile))
for (const [side, b] of Object.entries(best)) console.log(`${side.padEnd(8)} median ${b.median.toFixed(1)} µs   CPU ${b.cpu.toFixed(1)} µs per call`)
await rmc.dispose()
process.exit(0)
