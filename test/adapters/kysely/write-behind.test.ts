import { PGlite } from "@electric-sql/pglite"
import { Effect, Fiber, Layer } from "effect"
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  type KyselyPlugin,
  type LogEvent,
  PGliteDialect,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  sql,
} from "kysely"
import pg from "pg"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type KyselyDatabase, makeKyselyStorage, migrateToLatest } from "../../../src/adapters/kysely"
import type { ActivityEvent } from "../../../src/domain/activity/activity-event"
import type { Note } from "../../../src/domain/note/note"
import { createRmc } from "../../../src/facade/create-rmc"
import { Storage } from "../../../src/ports/storage"
import { newNote } from "../../../src/use-cases/support/new-note"
import { openPostgres, postgresUrl } from "./databases"

/**
 * Every statement of the work that reaches the driver, in order, with its text: begin, commit and
 * rollback are left out (a PGlite transaction does not send them as statements).
 */
const statementLog = () => {
  const texts: Array<string> = []
  const log = (event: LogEvent) => {
    const text = event.query.sql.replace(/\s+/g, " ").trim()
    if (!/^(begin|start transaction|commit|rollback)\b/i.test(text)) texts.push(text)
  }
  return { texts, log }
}

/** A plugin that only lets statements through: with one on the instance, each statement must reach it. */
class PassThrough implements KyselyPlugin {
  transformQuery(args: PluginTransformQueryArgs) {
    return args.node
  }
  async transformResult(args: PluginTransformResultArgs) {
    return args.result
  }
}

type Open = (log: (event: LogEvent) => void) => Promise<KyselyDatabase>

const targets: Array<[string, Open]> = [
  [
    "pglite",
    async (log) => {
      const db = new Kysely<any>({ dialect: new PGliteDialect({ pglite: new PGlite() }), log })
      return { db, dialect: "postgres", destroy: () => db.destroy() }
    },
  ],
  // One connection: the last test finds the one the units of work used.
  ...(postgresUrl === undefined ? [] : [["postgres", ((log) => openPostgres(postgresUrl as string, log, { max: 1 })) as Open] as [string, Open]]),
]

const event = (tenantId: string, subjectId: string, n: number): ActivityEvent => ({
  id: crypto.randomUUID(),
  tenantId,
  type: "note.added",
  at: new Date(Date.UTC(2026, 0, 1) + n).toISOString(),
  actorId: "alice",
  actorRole: "agent",
  subjectId,
  conversationId: null,
  contactId: null,
  before: null,
  after: { n },
})

for (const [name, open] of targets) {
  describe(`inserts held for the next statement, on ${name}`, () => {
    const { texts, log } = statementLog()
    let database: KyselyDatabase
    let storage: Storage["Service"]
    const tenantId = `t-${crypto.randomUUID().slice(0, 8)}`
    const alice = { tenantId, agentId: "alice", role: "agent" as const }
    let contactId: string
    let conversationId: string
    const note = (body: string, id: string = crypto.randomUUID()): Note =>
      newNote(alice, { id, subject: { kind: "contact", id: contactId }, contactId, body, at: new Date().toISOString() })
    const run = <A, E>(work: (r: Parameters<Parameters<Storage["Service"]["transaction"]>[0]>[0]) => Effect.Effect<A, E>) =>
      Effect.runPromise(Effect.result(storage.transaction(work)))
    const read = <A, E>(work: (r: Parameters<Parameters<Storage["Service"]["query"]>[0]>[0]) => Effect.Effect<A, E>) => Effect.runPromise(storage.query(work))
    const notesOfContact = () => read((r) => r.notes.listBySubject(tenantId, { kind: "contact", id: contactId }, { limit: 100 }))

    beforeAll(async () => {
      database = await open(log)
      await migrateToLatest(database.db, { dialect: database.dialect })
      storage = makeKyselyStorage({ db: database.db, dialect: database.dialect })
      const api = createRmc({ storage: Layer.succeed(Storage, storage) }).as(alice)
      contactId = (await api.createContact({ fullName: "Camille Martin" })).id
      conversationId = (await api.openConversation({ contactId, channel: "whatsapp" })).id
    })
    afterAll(() => database?.destroy())

    it("sends a note and its event as one statement: two statements between begin and commit instead of three", async () => {
      const api = createRmc({ storage: Layer.succeed(Storage, storage) }).as(alice)
      texts.length = 0
      const added = await api.addNote({ subject: { kind: "conversation", id: conversationId }, body: "Quote sent by e-mail." })
      expect(texts).toHaveLength(2)
      expect(texts[0]).toMatch(/for share$/)
      expect(texts[1]).toMatch(/^with rmc_staged_1 as \(insert into "rmc_notes" .*\) insert into "rmc_activity"/)
      // Both rows are there, each with its own values.
      expect(await read((r) => r.notes.get(tenantId, added.id))).toMatchObject({ body: "Quote sent by e-mail.", contactId })
      const timeline = await read((r) => r.activity.listByConversation(tenantId, conversationId, { limit: 10 }))
      expect(timeline.find((e) => e.type === "note.added" && e.subjectId === added.id)?.after).toMatchObject({ body: "Quote sent by e-mail." })
    })

    it("sends the held inserts before any later statement, so that it sees them", async () => {
      const first = note("held, then read by a cached statement")
      const second = note("held, then read by a query built with Kysely")
      const result = await run((r) =>
        Effect.gen(function* () {
          yield* r.notes.insert(first)
          const byCachedStatement = yield* r.notes.get(tenantId, first.id)
          yield* r.notes.insert(second)
          const byBuiltQuery = yield* r.notes.listBySubject(tenantId, { kind: "contact", id: contactId }, { limit: 100 })
          return { byCachedStatement, byBuiltQuery: byBuiltQuery.map((n) => n.id) }
        }),
      )
      expect(result._tag).toBe("Success")
      if (result._tag !== "Success") return
      expect(result.success.byCachedStatement?.body).toBe(first.body)
      expect(result.success.byBuiltQuery).toEqual(expect.arrayContaining([first.id, second.id]))
    })

    it("never sends what a failed unit of work held, and writes none of it", async () => {
      const held = note("never written")
      const eventId = crypto.randomUUID()
      texts.length = 0
      const result = await run((r) =>
        Effect.gen(function* () {
          yield* r.notes.insert(held)
          yield* r.activity.append([{ ...event(tenantId, held.id, 1), id: eventId }])
          return yield* Effect.fail("refused" as const)
        }),
      )
      expect(result).toMatchObject({ _tag: "Failure", failure: "refused" })
      expect(texts).toEqual([])
      expect(await read((r) => r.notes.get(tenantId, held.id))).toBeNull()
      const outbox = await read((r) => r.activity.readOutbox(0, 10_000))
      expect(outbox.some((entry) => entry.event.id === eventId)).toBe(false)
    })

    it("fails the unit of work when a held insert fails, and writes nothing of it", async () => {
      const stored = note("stored first")
      expect((await run((r) => r.notes.insert(stored)))._tag).toBe("Success")
      const other = note("would have been written with the duplicate")
      // The same id again: the key refuses it when it is sent, with the next statement.
      const duplicate = { ...note("duplicate"), id: stored.id }
      const result = await run((r) =>
        Effect.gen(function* () {
          yield* r.notes.insert(other)
          yield* r.notes.insert(duplicate)
          return yield* r.notes.get(tenantId, stored.id)
        }),
      )
      expect(result._tag).toBe("Failure")
      if (result._tag === "Failure") expect(result.failure).toMatchObject({ _tag: "StorageError" })
      expect(await read((r) => r.notes.get(tenantId, other.id))).toBeNull()
      expect((await read((r) => r.notes.get(tenantId, stored.id)))?.body).toBe("stored first")
    })

    it("keeps the order of the inserts into one table: the outbox reads a unit of work's events in the order it appended them", async () => {
      const subject = crypto.randomUUID()
      const events = [event(tenantId, subject, 1), event(tenantId, subject, 2), event(tenantId, subject, 3)]
      texts.length = 0
      const result = await run((r) =>
        Effect.gen(function* () {
          for (const appended of events) yield* r.activity.append([appended])
        }),
      )
      expect(result._tag).toBe("Success")
      // One statement per event: two inserts into one table never share a statement.
      expect(texts.filter((text) => text.includes('insert into "rmc_activity"'))).toHaveLength(3)
      const outbox = (await read((r) => r.activity.readOutbox(0, 10_000))).filter((entry) => entry.event.subjectId === subject)
      expect(outbox.map((entry) => entry.event.id)).toEqual(events.map((e) => e.id))
    })

    it("sends each insert on its own when a plugin must see every statement", async () => {
      const withPlugin = makeKyselyStorage({ db: database.db.withPlugin(new PassThrough()), dialect: database.dialect })
      const api = createRmc({ storage: Layer.succeed(Storage, withPlugin) }).as(alice)
      texts.length = 0
      await api.addNote({ subject: { kind: "conversation", id: conversationId }, body: "Seen by the plugin." })
      // The contact's lock, the note, its event.
      expect(texts).toHaveLength(3)
      expect(texts.some((text) => text.startsWith("with rmc_staged"))).toBe(false)
    })

    // Another session holds the key the held insert needs, so that the statement after it waits
    // behind it; the unit of work is interrupted meanwhile, and rolled back.
    it.runIf(name === "postgres")("never sends a statement whose unit of work was interrupted while the held inserts were on their way", async () => {
      const stored = note("the body before")
      expect((await run((r) => r.notes.insert(stored)))._tag).toBe("Success")
      const blocked = note("waits for another session's key")
      const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(database.db)
      const other = new pg.Client({ connectionString: postgresUrl, options: `-c search_path=${rows[0]!.schema}` })
      await other.connect()
      try {
        await other.query("begin")
        await other.query(
          `insert into rmc_notes (tenant_id, id, subject_kind, subject_id, contact_id, body, author_id, created_at, edited_at, deleted_at, deleted_by, revisions, version)
           values ($1, $2, 'contact', $3, $3, 'the other session', 'bob', $4, null, null, null, '[]', 1)`,
          [tenantId, blocked.id, contactId, blocked.createdAt],
        )
        const fiber = Effect.runFork(
          storage.transaction((r) =>
            Effect.gen(function* () {
              yield* r.notes.insert(blocked)
              // Sends the held insert first, which waits for the other session's key.
              yield* r.notes.update({ ...stored, body: "changed by an interrupted unit of work", version: stored.version + 1 })
            }),
          ),
        )
        await new Promise((resolve) => setTimeout(resolve, 300))
        const interrupted = Effect.runPromise(Fiber.interrupt(fiber))
        await new Promise((resolve) => setTimeout(resolve, 100))
        // The held insert now goes through; the update behind it must not follow it.
        await other.query("rollback")
        await interrupted
      } finally {
        await other.end()
      }
      expect((await read((r) => r.notes.get(tenantId, stored.id)))?.body).toBe("the body before")
      expect(await read((r) => r.notes.get(tenantId, blocked.id))).toBeNull()
    })

    it("gives the connection back as it found it, for the next unit of work and for statements outside one", async () => {
      const held = async () => {
        const [connection] = await database.db.connection().execute((c) => c.getExecutor().provideConnection(async (held: DatabaseConnection) => [held]))
        return Object.getOwnPropertyDescriptor(connection, "executeQuery")?.value as unknown
      }
      const before = await held()
      for (let i = 0; i < 3; i++) {
        const written = note(`round ${i}`)
        expect((await run((r) => Effect.andThen(r.notes.insert(written), r.activity.append([event(tenantId, written.id, i)]))))._tag).toBe("Success")
        expect((await read((r) => r.notes.get(tenantId, written.id)))?.body).toBe(`round ${i}`)
      }
      expect(await held()).toBe(before)
      expect((await notesOfContact()).length).toBeGreaterThanOrEqual(3)
    })
  })
}

describe("inserts held for the next statement, on a driver whose connections are frozen", () => {
  /** PGlite's driver, handing out frozen connection objects that nothing can watch. */
  class FrozenConnections extends PGliteDialect {
    /** Kysely's own logging would write on the connections too: statements are seen here instead. */
    readonly seen = statementLog()
    override createDriver(): Driver {
      const { log } = this.seen
      const driver = super.createDriver()
      const frozen = new WeakMap<DatabaseConnection, DatabaseConnection>()
      const original = new WeakMap<DatabaseConnection, DatabaseConnection>()
      const freeze = (connection: DatabaseConnection) => {
        let seen = frozen.get(connection)
        if (seen === undefined) {
          seen = Object.freeze({
            executeQuery: <R>(compiled: CompiledQuery) => {
              log({ level: "query", query: compiled, queryDurationMillis: 0 })
              return connection.executeQuery<R>(compiled)
            },
            streamQuery: connection.streamQuery.bind(connection),
          })
          frozen.set(connection, seen)
          original.set(seen, connection)
        }
        return seen
      }
      const inner = (connection: DatabaseConnection) => original.get(connection) ?? connection
      return {
        init: () => driver.init(),
        acquireConnection: async () => freeze(await driver.acquireConnection()),
        beginTransaction: (connection, settings) => driver.beginTransaction(inner(connection), settings),
        commitTransaction: (connection) => driver.commitTransaction(inner(connection)),
        rollbackTransaction: (connection) => driver.rollbackTransaction(inner(connection)),
        releaseConnection: (connection) => driver.releaseConnection(inner(connection)),
        destroy: () => driver.destroy(),
      }
    }
  }

  it("sends each insert on its own, and the note is written", async () => {
    const dialect = new FrozenConnections({ pglite: new PGlite() })
    const { texts } = dialect.seen
    const db = new Kysely<any>({ dialect })
    try {
      await migrateToLatest(db, { dialect: "postgres" })
      const storage = makeKyselyStorage({ db, dialect: "postgres" })
      const api = createRmc({ storage: Layer.succeed(Storage, storage) }).as({ tenantId: "acme", agentId: "alice", role: "agent" })
      const contact = await api.createContact({ fullName: "Camille Martin" })
      texts.length = 0
      const added = await api.addNote({ subject: { kind: "contact", id: contact.id }, body: "Written one insert at a time." })
      expect(texts).toHaveLength(3)
      expect(texts.some((text) => text.startsWith("with rmc_staged"))).toBe(false)
      expect((await api.getNote({ noteId: added.id })).body).toBe("Written one insert at a time.")
    } finally {
      await db.destroy()
    }
  })
})
