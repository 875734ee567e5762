import { Effect, Fiber, Layer, Metric } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type KyselyDatabase, kyselyRelayStore, makeKyselyStorage, migrateToLatest } from "../../src/adapters/kysely"
import { makeMemoryStorage } from "../../src/adapters/memory/memory-storage"
import type { ActivityEvent } from "../../src/domain/activity/activity-event"
import { createRmc } from "../../src/facade/create-rmc"
import { Storage } from "../../src/ports/storage"
import { makeMemoryRelayStore, makeMemorySink, type RelayReport, type RelayStore, relayMetrics, runRelay, startRelay } from "../../src/relay"
import { mysqlUrl, openMysql, openPostgres, openSqlite, postgresUrl } from "../adapters/kysely/databases"

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(effect)

let n = 0
const event = (tenantId: string): ActivityEvent => ({
  id: crypto.randomUUID(),
  tenantId,
  type: "label.created",
  at: new Date().toISOString(),
  actorId: "sam",
  actorRole: "admin",
  subjectId: `label-${n++}`,
  conversationId: null,
  contactId: null,
  before: null,
  after: { n },
})

const write = async (storage: Storage["Service"], count: number, tenants = ["acme", "globex"]) => {
  const events: Array<ActivityEvent> = []
  for (let i = 0; i < count; i++) {
    const e = event(tenants[i % tenants.length]!)
    events.push(e)
    await run(storage.transaction((r) => r.activity.append([e])))
  }
  return events
}

const until = async (condition: () => boolean | Promise<boolean>, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("timed out waiting")
    await sleep(5)
  }
}

const fast = { idleMs: 5, leaseTtlMs: 400, standbyMs: 20, retry: { initialMs: 5, maxMs: 20 } }

describe("relay", () => {
  it("publishes every event in outbox order, checkpoints, and resumes from the checkpoint", async () => {
    const storage = makeMemoryStorage()
    const store = makeMemoryRelayStore()
    const sink = makeMemorySink()
    const first = await write(storage, 25)
    const relay = startRelay({ ...fast, storage, store, sink, batchSize: 7 })
    await until(() => sink.deliveries.length === 25)
    await relay.stop()
    expect(sink.deliveries.map((d) => d.entry.event.id)).toEqual(first.map((e) => e.id))
    expect((await run(store.read("outbox")))?.position).toBe(25)
    const second = await write(storage, 5)
    const again = startRelay({ ...fast, storage, store, sink, batchSize: 7 })
    await until(() => sink.deliveries.length === 30)
    await sleep(30)
    await again.stop()
    // Nothing acknowledged is published twice.
    expect(sink.deliveries.map((d) => d.entry.event.id)).toEqual([...first, ...second].map((e) => e.id))
    expect((await run(store.read("outbox")))?.published).toBe(30)
  })

  it("publishes a refused batch again until the sink takes it, counting and reporting the failures", async () => {
    const storage = makeMemoryStorage()
    const sink = makeMemorySink()
    const reports: Array<RelayReport> = []
    const events = await write(storage, 4)
    sink.failNext(3)
    const counted = Effect.gen(function* () {
      const fiber = yield* Effect.forkChild(
        runRelay({ ...fast, store: makeMemoryRelayStore(), sink, name: "retrying", lagEveryMs: 0, onReport: (r) => reports.push(r) }),
      )
      yield* Effect.promise(() => until(() => sink.deliveries.length === 4 && reports.some((r) => r.type === "lag" && r.events === 0)))
      const failed = yield* Metric.value(Metric.withAttributes(relayMetrics.failed, { relay: "retrying" }))
      const retried = yield* Metric.value(Metric.withAttributes(relayMetrics.retried, { relay: "retrying" }))
      const published = yield* Metric.value(Metric.withAttributes(relayMetrics.published, { relay: "retrying" }))
      const lag = yield* Metric.value(Metric.withAttributes(relayMetrics.lagEvents, { relay: "retrying" }))
      yield* Fiber.interrupt(fiber)
      return { failed: failed.count, retried: retried.count, published: published.count, lag: lag.value }
    })
    const counts = await run(counted.pipe(Effect.provideService(Storage, storage), Effect.provideService(Metric.MetricRegistry, new Map())))
    expect(counts).toEqual({ failed: 3, retried: 3, published: 4, lag: 0 })
    expect(sink.deliveries.map((d) => d.entry.event.id)).toEqual(events.map((e) => e.id))
    expect(reports.filter((r) => r.type === "publish-failed").map((r) => (r as { attempt: number }).attempt)).toEqual([1, 2, 3])
    expect(reports.some((r) => r.type === "lag" && r.events === 0)).toBe(true)
  })

  it("reads a refused batch again before retrying it, so a note deleted meanwhile leaves without its body", async () => {
    const storage = makeMemoryStorage()
    const rmc = createRmc({ storage: Layer.succeed(Storage, storage) })
    const agent = rmc.as({ tenantId: "acme", agentId: "sam", role: "admin" })
    const contact = await agent.createContact({ fullName: "Ann Lee", type: "Lead", primaryPhone: "+33612345678" })
    const note = await agent.addNote({ subject: { kind: "contact", id: contact.id }, body: "call her back at home" })
    const sink = makeMemorySink()
    sink.failNext(1)
    const reports: Array<RelayReport> = []
    let deleted = false
    const relay = startRelay({
      ...fast,
      storage,
      store: makeMemoryRelayStore(),
      sink,
      onReport: (r) => reports.push(r),
      // The note is deleted after the batch was read and before the sink refuses it.
      beforePublish: async () => {
        if (deleted) return
        deleted = true
        await agent.deleteNote({ noteId: note.id, expectedVersion: note.version })
      },
    })
    await until(() => sink.deliveries.some((d) => d.entry.event.type === "note.deleted"))
    await relay.stop()
    await rmc.dispose()
    expect(reports.filter((r) => r.type === "publish-failed")).toHaveLength(1)
    expect(sink.deliveries.map((d) => d.entry.event.type)).toEqual(["contact.created", "note.added", "note.deleted"])
    expect(JSON.stringify(sink.deliveries)).not.toContain("call her back")
    // Each published report gives every event's lag from its commit to the sink's acceptance.
    const published = reports.filter((r): r is Extract<RelayReport, { type: "published" }> => r.type === "published")
    expect(published.flatMap((r) => r.lagSeconds)).toHaveLength(3)
    for (const r of published) for (const seconds of r.lagSeconds) expect(seconds).toBeGreaterThanOrEqual(0)
  })

  it("reports its lag in events and seconds while it cannot publish", async () => {
    const storage = makeMemoryStorage()
    const sink = makeMemorySink()
    await write(storage, 12)
    sink.failNext(1_000)
    const reports: Array<RelayReport> = []
    const relay = startRelay({ ...fast, storage, store: makeMemoryRelayStore(), sink, lagEveryMs: 0, onReport: (r) => reports.push(r) })
    await until(() => reports.filter((r) => r.type === "publish-failed").length >= 2)
    sink.failNext(0)
    await until(() => sink.deliveries.length === 12)
    await sleep(20)
    await relay.stop()
    const lags = reports.filter((r): r is Extract<RelayReport, { type: "lag" }> => r.type === "lag")
    expect(lags.at(-1)).toMatchObject({ events: 0, seconds: 0 })
    expect(lags.some((r) => r.events > 0)).toBe(true)
  })

  it("lets exactly one of two instances publish, and the other take over when it stops", async () => {
    const storage = makeMemoryStorage()
    const store = makeMemoryRelayStore()
    const sink = makeMemorySink()
    const a = startRelay({ ...fast, storage, store, sink, holder: "a", batchSize: 3 })
    const b = startRelay({ ...fast, storage, store, sink, holder: "b", batchSize: 3 })
    const first = await write(storage, 20)
    await until(() => sink.deliveries.length >= 20)
    const leader = sink.deliveries[0]!.context.holder
    expect(new Set(sink.deliveries.map((d) => d.context.holder))).toEqual(new Set([leader]))
    await (leader === "a" ? a : b).stop()
    const second = await write(storage, 10)
    await until(() => sink.deliveries.length >= 30)
    await sleep(30)
    await (leader === "a" ? b : a).stop()
    expect(sink.deliveries.map((d) => d.entry.event.id)).toEqual([...first, ...second].map((e) => e.id))
    expect(new Set(sink.deliveries.slice(20).map((d) => d.context.holder))).toEqual(new Set([leader === "a" ? "b" : "a"]))
  })

  it("stops a paused leader that lost its lease from publishing or moving the checkpoint", async () => {
    const storage = makeMemoryStorage()
    const store = makeMemoryRelayStore()
    const sink = makeMemorySink()
    const events = await write(storage, 6)
    let resume!: () => void
    const paused = new Promise<void>((resolve) => {
      resume = resolve
    })
    let pauses = 0
    const reports: Array<RelayReport> = []
    const a = startRelay({
      ...fast,
      storage,
      store,
      sink,
      holder: "a",
      onReport: (r) => reports.push(r),
      // The first batch it reads, it holds for longer than its lease (a stop-the-world pause).
      beforePublish: () => (pauses++ === 0 ? paused : undefined),
    })
    await until(() => pauses === 1)
    const b = startRelay({ ...fast, storage, store, sink, holder: "b" })
    await until(() => sink.deliveries.length === 6)
    resume()
    await until(() => reports.some((r) => r.type === "lease-lost"))
    await sleep(50)
    expect(sink.deliveries.map((d) => d.context.holder)).toEqual(Array(6).fill("b"))
    expect(sink.deliveries.map((d) => d.entry.event.id)).toEqual(events.map((e) => e.id))
    const state = await run(store.read("outbox"))
    expect(state).toMatchObject({ holder: "b", token: 2, position: 6 })
    // The old token can neither renew nor checkpoint.
    expect(await run(store.checkpoint("outbox", 1, 1, 1))).toBe(false)
    expect(await run(store.renew("outbox", "a", 1, 1_000))).toBe(false)
    await a.stop()
    await b.stop()
  })
})

const stores: Array<[string, () => Promise<KyselyDatabase>]> = [
  ["sqlite", openSqlite],
  ...(postgresUrl === undefined ? [] : [["postgres", () => openPostgres(postgresUrl!)] as [string, () => Promise<KyselyDatabase>]]),
  ...(mysqlUrl === undefined ? [] : [["mysql", () => openMysql(mysqlUrl!)] as [string, () => Promise<KyselyDatabase>]]),
]

for (const [name, open] of stores) {
  describe(`relay store on ${name}`, () => {
    let database: KyselyDatabase
    let store: RelayStore
    beforeAll(async () => {
      database = await open()
      await migrateToLatest(database.db, { dialect: database.dialect })
      store = kyselyRelayStore({ db: database.db, dialect: database.dialect })
    }, 60_000)
    afterAll(async () => {
      await database?.destroy()
    })

    it("hands the lease to one instance at a time, with a new token on each acquisition, and fences the checkpoint", async () => {
      const relay = `lease-${name}`
      const attempts = await Promise.all(Array.from({ length: 6 }, (_, i) => run(store.acquire(relay, `i${i}`, 300))))
      expect(attempts.filter((a) => a !== null)).toEqual([{ token: 1, position: 0 }])
      const holder = `i${attempts.findIndex((a) => a !== null)}`
      expect(await run(store.acquire(relay, "late", 300))).toBeNull()
      expect(await run(store.checkpoint(relay, 1, 42, 3))).toBe(true)
      expect(await run(store.renew(relay, holder, 1, 300))).toBe(true)
      await sleep(450)
      // Expired: the next instance gets token 2 and the checkpoint; the old token is fenced off.
      expect(await run(store.acquire(relay, "next", 60_000))).toEqual({ token: 2, position: 42 })
      expect(await run(store.renew(relay, holder, 1, 300))).toBe(false)
      expect(await run(store.checkpoint(relay, 1, 99, 1))).toBe(false)
      expect(await run(store.read(relay))).toMatchObject({ holder: "next", token: 2, position: 42, published: 3 })
      await run(store.release(relay, 2))
      expect(await run(store.acquire(relay, "after-release", 300))).toEqual({ token: 3, position: 42 })
    })

    it("runs a relay over the database's outbox", async () => {
      const storage = makeKyselyStorage({ db: database.db, dialect: database.dialect })
      const sink = makeMemorySink()
      const events = await write(storage, 15)
      const relay = startRelay({ ...fast, storage, store, sink, name: `run-${name}`, batchSize: 4 })
      await until(() => sink.deliveries.length >= 15)
      await sleep(30)
      await relay.stop()
      expect(sink.deliveries.map((d) => d.entry.event.id)).toEqual(events.map((e) => e.id))
      expect(await run(store.read(`run-${name}`))).toMatchObject({ holder: null, published: 15, position: sink.deliveries.at(-1)!.entry.position })
    })

    it("lets exactly one of two instances sharing the database's lease publish", async () => {
      const storage = makeKyselyStorage({ db: database.db, dialect: database.dialect })
      const sink = makeMemorySink()
      const relay = `pair-${name}`
      // Both start at the outbox's end, as from a checkpoint: only this test's events are theirs.
      const seeded = (await run(store.acquire(relay, "seed", 60_000)))!
      const end = (await run(storage.query((r) => r.activity.readOutbox(0, 100_000)))).at(-1)?.position ?? 0
      await run(Effect.andThen(store.checkpoint(relay, seeded.token, end, 0), store.release(relay, seeded.token)))
      const a = startRelay({ ...fast, storage, store, sink, name: relay, holder: "a", batchSize: 3 })
      const b = startRelay({ ...fast, storage, store, sink, name: relay, holder: "b", batchSize: 3 })
      const events = await write(storage, 12)
      await until(() => sink.deliveries.length >= 12)
      await sleep(50)
      await a.stop()
      await b.stop()
      expect(sink.deliveries.map((d) => d.entry.event.id)).toEqual(events.map((e) => e.id))
      expect(new Set(sink.deliveries.map((d) => d.context.holder)).size).toBe(1)
    })
  })
}

describe("relay into an event sink", () => {
  it("publishes envelopes, and leaves internal events out for a shareable audience", async () => {
    const { EventSink } = await import("../../src/ports/event-sink")
    const { eventSinkRelay } = await import("../../src/relay")
    const storage = makeMemoryStorage()
    const received: Array<{ id: string; type: string; audience: string }> = []
    const sink = EventSink.of({
      name: "memory",
      publish: (envelopes) => Effect.sync(() => void received.push(...envelopes.map((e) => ({ id: e.id, type: e.type, audience: e.audience })))),
    })
    const label = event("acme")
    const note: ActivityEvent = { ...event("acme"), type: "note.added", subjectId: crypto.randomUUID(), after: { body: "secret" } }
    await run(storage.transaction((r) => r.activity.append([label, note])))
    const relay = startRelay({ ...fast, storage, store: makeMemoryRelayStore(), sink: eventSinkRelay(sink, { audience: "shareable" }) })
    await until(() => received.length === 1)
    await sleep(30)
    await relay.stop()
    expect(received).toEqual([{ id: label.id, type: "label.created", audience: "shareable" }])
  })
})
