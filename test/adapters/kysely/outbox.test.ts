import { Effect } from "effect"
import fc from "fast-check"
import { sql } from "kysely"
import { Migrator } from "kysely/migration"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type KyselyDatabase, makeKyselyStorage, migrateToLatest, rmcMigrations, tableNames } from "../../../src/adapters/kysely"
import { makeMemoryStorage } from "../../../src/adapters/memory/memory-storage"
import type { ActivityEvent } from "../../../src/domain/activity/activity-event"
import type { Storage } from "../../../src/ports/storage"
import { mysqlUrl, openMysql, openPostgres, openSqlite, postgresUrl } from "./databases"

const event = (tenantId: string, n = 0): ActivityEvent => ({
  id: crypto.randomUUID(),
  tenantId,
  type: "department.created",
  at: new Date(Date.UTC(2026, 0, 1) + n).toISOString(),
  actorId: "alice",
  actorRole: "admin",
  subjectId: `subject-${n}`,
  conversationId: null,
  contactId: null,
  before: null,
  after: { n },
})

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(effect)

/**
 * Whether every committed event after `after` has been read. On PostgreSQL a committed event is
 * served once every transaction of the cluster that began before it has ended, so an empty read
 * alone does not say so while other sessions (other databases included) are busy.
 */
const settled = async (storage: Storage["Service"], after: number) => (await run(storage.query((r) => r.activity.outboxBacklog(after)))).events === 0

/** Reads the whole outbox after `from`, in pages of `page`, as a relay would, until nothing committed is left. */
const drain = async (storage: Storage["Service"], from: number, page = 50) => {
  const read: Array<{ position: number; id: string }> = []
  let after = from
  const deadline = Date.now() + 30_000
  for (;;) {
    const batch = await run(storage.query((r) => r.activity.readOutbox(after, page)))
    if (batch.length === 0) {
      if (await settled(storage, after)) return read
      if (Date.now() > deadline) throw new Error("committed events stayed unread for 30 s")
      await sleep(5)
      continue
    }
    read.push(...batch.map((e) => ({ position: e.position, id: e.event.id })))
    after = batch.at(-1)!.position
  }
}

interface Target {
  readonly name: string
  readonly server: boolean
  open(): Promise<{ storage: Storage["Service"]; database?: KyselyDatabase; close(): Promise<void> }>
}

const kysely = (name: string, open: () => Promise<KyselyDatabase>, server: boolean): Target => ({
  name,
  server,
  open: async () => {
    const database = await open()
    await migrateToLatest(database.db, { dialect: database.dialect })
    return { storage: makeKyselyStorage({ db: database.db, dialect: database.dialect }), database, close: () => database.destroy() }
  },
})

const targets: Array<Target> = [
  { name: "memory", server: false, open: async () => ({ storage: makeMemoryStorage(), close: async () => {} }) },
  kysely("sqlite", openSqlite, false),
  ...(postgresUrl === undefined ? [] : [kysely("postgres", () => openPostgres(postgresUrl!), true)]),
  ...(mysqlUrl === undefined ? [] : [kysely("mysql", () => openMysql(mysqlUrl!), true)]),
]

/** One writer of the interleaving: when it appends, how long it then holds its transaction, and whether it commits. */
const writer = fc.record({
  tenant: fc.constantFrom("acme", "globex", "initech"),
  events: fc.integer({ min: 1, max: 3 }),
  startMs: fc.integer({ min: 0, max: 15 }),
  holdMs: fc.integer({ min: 0, max: 25 }),
  rollback: fc.boolean(),
})

for (const target of targets) {
  describe(`outbox on ${target.name}`, () => {
    let opened: Awaited<ReturnType<Target["open"]>>
    beforeAll(async () => {
      opened = await target.open()
    }, 60_000)
    afterAll(async () => {
      await opened?.close()
    })

    it("never skips a committed event nor reads one twice, whatever the interleaving of concurrent commits", async () => {
      const { storage } = opened
      await fc.assert(
        fc.asyncProperty(fc.array(writer, { minLength: 2, maxLength: 8 }), fc.integer({ min: 1, max: 4 }), async (writers, page) => {
          const start = (await drain(storage, 0)).at(-1)?.position ?? 0
          const committed: Array<{ ids: ReadonlyArray<string>; began: number; ended: number }> = []
          let writing = writers.length
          const writes = writers.map(async (w) => {
            await sleep(w.startMs)
            const events = Array.from({ length: w.events }, (_, n) => event(w.tenant, n))
            const began = performance.now()
            const outcome = await Effect.runPromiseExit(
              storage.transaction((r) =>
                Effect.gen(function* () {
                  yield* r.activity.append(events)
                  yield* Effect.promise(() => sleep(w.holdMs))
                  if (w.rollback) return yield* Effect.fail("rolled back" as const)
                }),
              ),
            )
            if (outcome._tag === "Success") committed.push({ ids: events.map((e) => e.id), began, ended: performance.now() })
            writing--
          })
          // A relay polling all along, in small pages, from its checkpoint.
          const seen: Array<string> = []
          let after = start
          const reader = (async () => {
            for (;;) {
              const done = writing === 0
              const batch = await run(storage.query((r) => r.activity.readOutbox(after, page)))
              seen.push(...batch.map((e) => e.event.id))
              if (batch.length > 0) after = batch.at(-1)!.position
              else if (done && (await settled(storage, after))) return
              else await sleep(1)
            }
          })()
          await Promise.all(writes)
          await reader
          expect(new Set(seen).size).toBe(seen.length)
          expect([...seen].sort()).toEqual(committed.flatMap((c) => c.ids).sort())
          const at = new Map(seen.map((id, i) => [id, i]))
          for (const a of committed) {
            // A transaction's own events, in the order it appended them.
            expect(a.ids.map((id) => at.get(id)!)).toEqual([...a.ids.map((id) => at.get(id)!)].sort((x, y) => x - y))
            for (const b of committed) {
              // A transaction that began writing after another committed is read after it.
              if (b.began > a.ended) expect(at.get(a.ids.at(-1)!)!).toBeLessThan(at.get(b.ids[0]!)!)
            }
          }
        }),
        { numRuns: target.server ? 12 : 30 },
      )
    }, 120_000)

    it("reads on from any position it handed out", async () => {
      const { storage } = opened
      const start = (await drain(storage, 0)).at(-1)?.position ?? 0
      for (let i = 0; i < 5; i++) await run(storage.transaction((r) => r.activity.append([event("acme", 1), event("globex", 2)])))
      const all = await drain(storage, start)
      expect(all).toHaveLength(10)
      for (let i = 0; i < all.length; i++) expect((await drain(storage, all[i]!.position, 3)).map((e) => e.id)).toEqual(all.slice(i + 1).map((e) => e.id))
      expect(await run(storage.query((r) => r.activity.outboxBacklog(all[6]!.position)))).toMatchObject({ events: 3 })
    })

    it("keeps a tenant's feed of the events on no conversation's or contact's timeline, newest first", async () => {
      const { storage } = opened
      const tenant = `feed-${crypto.randomUUID().slice(0, 8)}`
      const own = [event(tenant, 1), event(tenant, 2), event(tenant, 3)]
      const onTimeline = { ...event(tenant, 4), conversationId: crypto.randomUUID(), contactId: crypto.randomUUID() }
      const onContact = { ...event(tenant, 5), contactId: crypto.randomUUID() }
      await run(storage.transaction((r) => r.activity.append([...own, onTimeline, onContact, event("someone-else", 6)])))
      const first = await run(storage.query((r) => r.activity.listByTenant(tenant, { limit: 2 })))
      expect(first.map((e) => e.id)).toEqual([own[2]!.id, own[1]!.id])
      const rest = await run(storage.query((r) => r.activity.listByTenant(tenant, { limit: 5, after: { at: first[1]!.at, id: first[1]!.id } })))
      expect(rest.map((e) => e.id)).toEqual([own[0]!.id])
    })

    if (target.server) {
      it("lets writers of the same and of other tenants commit while a transaction holds its events", async () => {
        const { storage } = opened
        let release!: () => void
        const held = new Promise<void>((resolve) => {
          release = resolve
        })
        const holding = run(
          storage.transaction((r) =>
            Effect.andThen(
              r.activity.append([event("acme")]),
              Effect.promise(() => held),
            ),
          ),
        )
        await sleep(100)
        // Under a global lock these would wait for the holder's commit, which waits for them.
        const others = Promise.all([
          run(storage.transaction((r) => r.activity.append([event("globex")]))),
          run(storage.transaction((r) => r.activity.append([event("acme")]))),
        ])
        const outcome = await Promise.race([others.then(() => "committed"), sleep(3_000).then(() => "waiting")])
        release()
        await holding
        await others
        expect(outcome).toBe("committed")
      })

      it("reads a transaction that waited on another's row lock after it", async () => {
        const { storage, database } = opened
        const db = database!.db
        const t = tableNames()
        await db.insertInto(t.settings).values({ tenant_id: "lock-order", document: "{}", version: 1 }).execute()
        const from = (await drain(storage, 0)).at(-1)?.position ?? 0
        const bump = sql`update ${sql.table(t.settings)} set version = version + 1 where tenant_id = 'lock-order'`
        const a = event("lock-order", 1)
        const b = event("lock-order", 2)
        // A locks the row, then appends; B asks for the same row first thing, waits for A's commit, then appends.
        let unlockA!: () => void
        const aHolds = new Promise<void>((resolve) => {
          unlockA = resolve
        })
        let aLocked!: () => void
        const locked = new Promise<void>((resolve) => {
          aLocked = resolve
        })
        const writerA = db.transaction().execute(async (trx) => {
          await bump.execute(trx)
          aLocked()
          await aHolds
          await run(makeKyselyStorage({ db: trx as never, dialect: database!.dialect }).query((r) => r.activity.append([a])))
        })
        await locked
        const writerB = db.transaction().execute(async (trx) => {
          await bump.execute(trx)
          await run(makeKyselyStorage({ db: trx as never, dialect: database!.dialect }).query((r) => r.activity.append([b])))
        })
        await sleep(200)
        unlockA()
        await Promise.all([writerA, writerB])
        const read = (await drain(storage, from)).map((e) => e.id)
        expect(read.filter((id) => id === a.id || id === b.id)).toEqual([a.id, b.id])
      })
    }
  })
}

describe("migrating an outbox written under the global sequence row", () => {
  const databases: Array<[string, () => Promise<KyselyDatabase>]> = [
    ["sqlite", openSqlite],
    ...(postgresUrl === undefined ? [] : [["postgres", () => openPostgres(postgresUrl!)] as [string, () => Promise<KyselyDatabase>]]),
    ...(mysqlUrl === undefined ? [] : [["mysql", () => openMysql(mysqlUrl!)] as [string, () => Promise<KyselyDatabase>]]),
  ]
  for (const [name, open] of databases) {
    it(`keeps every event and every checkpoint on ${name}`, async () => {
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
        const before = await migrator.migrateTo("0002_planner_statistics")
        expect(before.error).toBeUndefined()
        // Five events as the previous version wrote them: positions 1 to 5 from the sequence row.
        const t = tableNames()
        const old = Array.from({ length: 5 }, (_, i) => event(i % 2 === 0 ? "acme" : "globex", i))
        for (const [i, e] of old.entries()) {
          await db
            .insertInto(t.activity)
            .values({
              tenant_id: e.tenantId,
              position: i + 1,
              id: e.id,
              type: e.type,
              at: e.at,
              actor_id: e.actorId,
              actor_role: e.actorRole,
              subject_id: e.subjectId,
              conversation_id: null,
              contact_id: null,
              before_state: null,
              after_state: "{}",
            })
            .execute()
        }
        await db.updateTable(t.outboxSequence).set({ position: 5 }).where("id", "=", 1).execute()
        await migrateToLatest(db, { dialect })
        const storage = makeKyselyStorage({ db, dialect })
        const fresh = [event("acme", 10), event("globex", 11)]
        await run(storage.transaction((r) => r.activity.append(fresh)))
        const all = await drain(storage, 0, 2)
        expect(all.map((e) => e.id)).toEqual([...old, ...fresh].map((e) => e.id))
        expect(all.slice(0, 5).map((e) => e.position)).toEqual([1, 2, 3, 4, 5])
        expect(all.slice(5).every((e) => e.position > 5)).toBe(true)
        // A reader that checkpointed position 3 before the migration reads on from there.
        expect((await drain(storage, 3)).map((e) => e.id)).toEqual([old[3]!.id, old[4]!.id, ...fresh.map((e) => e.id)])
      } finally {
        await database.destroy()
      }
    }, 60_000)
  }
})
