// Client CPU per write under concurrent writers, layer by layer: 16 agents (--writers) add notes on
// PostgreSQL through the same five statements, sent by
// - `driver`: `pg` alone, the statements prepared by name, as the SDK's pool sends them;
// - `effect`: the same calls, each wrapped in an Effect, the program run with `Effect.runPromise`;
// - `store`: the store's unit of work (`storage.transaction`: lock the contact, insert the note and
//   its event through the repositories);
// - `sdk`: `createRmc(...).as(agent).addNote(...)`.
// Each side runs --seconds (3) at a time, the sides in turn, --runs (4) times; prints each side's
// writes per second and CPU time of this process (user + system) per write, per run. Shows which
// layer the concurrent-writer benchmark's client CPU goes to. Run after `npm run build`:
// `RMC_BENCH_POSTGRES_URL=postgres://... npx tsx bench/writer-layers.ts`.
import { Effect } from "effect"
import pg from "pg"
import { benchSchema } from "./postgres-schema"

const flag = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? process.argv[i + 1]! : fallback
}
const url = process.env.RMC_BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test"
const writers = Number(flag("writers", "16"))
const seconds = Number(flag("seconds", "3"))
const runs = Number(flag("runs", "4"))
const kysely = (await import(new URL("../dist/kysely.js", import.meta.url).href)) as typeof import("../src/adapters/kysely")
const api = (await import(new URL("../dist/index.js", import.meta.url).href)) as typeof import("../src")

const tenantId = "tenant-layers"
const schema = await benchSchema(url, `rmc_layers_${process.pid}`)
const database = await kysely.createKyselyDatabase({ dialect: "postgres", url: schema.url, maxConnections: 16 })
await kysely.migrateToLatest(database.db, { dialect: "postgres" })
const rmc = api.createRmc({ storage: kysely.kyselyStorage({ db: database.db, dialect: database.dialect }) })
const alice = rmc.as({ tenantId, agentId: "alice", role: "agent" })
const conversations: Array<string> = []
for (let i = 0; i < writers; i++) {
  const contact = await alice.createContact({ fullName: `Contact ${i}`, type: "Client" })
  conversations.push((await alice.openConversation({ contactId: contact.id, channel: "whatsapp" })).id)
}
const storage = kysely.makeKyselyStorage({ db: database.db, dialect: database.dialect })
const pool = new pg.Pool({ connectionString: url, max: 16, options: schema.options })

const lockContact = {
  name: "layers_lock",
  text: `select * from rmc_contacts where tenant_id = $1 and id = (select contact_id from rmc_conversations where tenant_id = $2 and id = $3) for share`,
}
const insertNote = {
  name: "layers_note",
  text: `insert into rmc_notes (tenant_id, id, subject_kind, subject_id, contact_id, body, author_id, created_at, edited_at, deleted_at, deleted_by, revisions, version)
    values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
}
const insertEvent = {
  name: "layers_event",
  text: `insert into rmc_activity (tenant_id, id, type, at, actor_id, actor_role, subject_id, conversation_id, contact_id, before_state, after_state)
    values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
}
const body = "Quote sent by e-mail."
/** The five statements of a note, each through `send`. */
const noteThrough = async (send: (query: string | { name: string; text: string; values: Array<unknown> }) => Promise<pg.QueryResult>, agent: number) => {
  const conversationId = conversations[agent]!
  await send("begin isolation level read committed")
  const contact = (await send({ ...lockContact, values: [tenantId, tenantId, conversationId] })).rows[0]
  const at = new Date().toISOString()
  const noteId = crypto.randomUUID()
  await send({ ...insertNote, values: [tenantId, noteId, "conversation", conversationId, contact.id, body, "alice", at, null, null, null, "[]", 1] })
  await send({
    ...insertEvent,
    values: [tenantId, crypto.randomUUID(), "note.added", at, "alice", "agent", noteId, conversationId, contact.id, null, JSON.stringify({ body })],
  })
  await send("commit")
}

const sides: Record<string, (agent: number) => Promise<unknown>> = {
  driver: async (agent) => {
    const client = await pool.connect()
    try {
      await noteThrough((query) => client.query(query as never), agent)
    } finally {
      client.release()
    }
  },
  effect: async (agent) => {
    const client = await pool.connect()
    try {
      await noteThrough((query) => Effect.runPromise(Effect.promise(() => client.query(query as never))), agent)
    } finally {
      client.release()
    }
  },
  store: (agent) =>
    Effect.runPromise(
      storage.transaction((r) =>
        Effect.gen(function* () {
          const conversationId = conversations[agent]!
          const contact = yield* r.contacts.getLockedByConversation(tenantId, conversationId, "share")
          const at = new Date().toISOString()
          const id = crypto.randomUUID()
          const contactId = contact!.id
          yield* r.notes.insert({
            id,
            tenantId,
            subject: { kind: "conversation", id: conversationId },
            contactId,
            body,
            authorId: "alice",
            createdAt: at,
            editedAt: null,
            deletedAt: null,
            deletedBy: null,
            revisions: [],
            version: 1,
          })
          yield* r.activity.append([
            {
              id: crypto.randomUUID(),
              tenantId,
              type: "note.added",
              at,
              actorId: "alice",
              actorRole: "agent",
              subjectId: id,
              conversationId,
              contactId,
              before: null,
              after: { body },
            },
          ])
        }),
      ),
    ),
  sdk: (agent) => alice.addNote({ subject: { kind: "conversation", id: conversations[agent]! }, body }),
}

const measure = async (write: (agent: number) => Promise<unknown>, ms: number) => {
  let done = 0
  const end = performance.now() + ms
  const started = performance.now()
  const cpu = process.cpuUsage()
  await Promise.all(
    Array.from({ length: writers }, async (_, agent) => {
      while (performance.now() < end) {
        await write(agent)
        done++
      }
    }),
  )
  const used = process.cpuUsage(cpu)
  return { perSecond: (done * 1000) / (performance.now() - started), cpuPerWrite: (used.user + used.system) / Math.max(1, done) }
}

try {
  // Warm-up: connections opened, statements prepared, code optimised.
  for (const write of Object.values(sides)) await measure(write, 1_000)
  const figures = Object.fromEntries(Object.keys(sides).map((name) => [name, [] as Array<{ perSecond: number; cpuPerWrite: number }>]))
  for (let run = 0; run < runs; run++) {
    for (const [name, write] of Object.entries(sides)) figures[name]!.push(await measure(write, seconds * 1000))
  }
  console.log(`${writers} writers on PostgreSQL, ${runs} runs of ${seconds} s per side, the sides in turn`)
  for (const [name, all] of Object.entries(figures)) {
    const list = (f: (x: { perSecond: number; cpuPerWrite: number }) => number) => all.map((x) => Math.round(f(x))).join(" ")
    console.log(`${name.padEnd(7)} writes/s ${list((x) => x.perSecond)}   client CPU µs per write ${list((x) => x.cpuPerWrite)}`)
  }
} finally {
  await pool.end()
  await rmc.dispose()
  await database.destroy()
  await schema.drop()
}
