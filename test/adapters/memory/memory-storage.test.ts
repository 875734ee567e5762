import { Deferred, Effect, Exit, Fiber } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { makeMemoryStorage } from "../../../src/adapters/memory"
import type { StorageRepositories } from "../../../src/ports/storage"
import * as A from "../../../src/testing/arbitraries/entities"

const one = <T>(arbitrary: fc.Arbitrary<T>): T => fc.sample(arbitrary, 1)[0]!
const run = <A, E>(effect: Effect.Effect<A, E>): Promise<A> => Effect.runPromise(effect)
const at = (minute: number) => new Date(Date.UTC(2026, 2, 1, 9, minute)).toISOString()
const tenantId = "acme"

/** A fresh store with one contact and one conversation, and records to write to every table. */
const fixture = async () => {
  const storage = makeMemoryStorage()
  const contact = one(A.contact(tenantId))
  const conversation = { ...one(A.conversation(tenantId, contact.id)), lastActivityAt: at(0) }
  await run(storage.transaction((r) => Effect.andThen(r.contacts.insert(contact), r.conversations.insert(conversation))))
  const other = one(A.contact(tenantId))
  const opened = { ...one(A.conversation(tenantId, other.id)), lastActivityAt: at(1) }
  const note = one(A.note(tenantId, { kind: "conversation", id: conversation.id }, contact.id))
  const department = one(A.department(tenantId))
  const keyword = one(A.keyword(tenantId))
  const label = one(A.label(tenantId))
  const call = { ...one(A.callAttempt(tenantId, conversation.id, contact.id)), providerCallId: "provider-1" }
  const event = one(A.activityEvent(tenantId, conversation.id, contact.id))
  const settings = { ...one(A.tenantSettings(tenantId)), version: 1 }
  const idempotency = { tenantId, key: "key-1", operation: "addNote", requestHash: "h", response: { id: note.id }, createdAt: at(2) }
  /** Writes to every table of the store and to each of its indexes. */
  const writeEverything = (r: StorageRepositories) =>
    Effect.gen(function* () {
      yield* r.settings.put(settings)
      yield* r.contacts.insert(other)
      yield* r.contacts.update({ ...contact, fullName: "Renamed", version: 2 }, contact)
      yield* r.conversations.insert(opened)
      yield* r.conversations.update({ ...conversation, status: "resolved", departmentId: department.id, version: 2 })
      yield* r.departments.insert(department)
      yield* r.keywords.insert(keyword)
      yield* r.labels.insert(label)
      yield* r.notes.insert(note)
      yield* r.tagging.attachKeyword(tenantId, conversation.id, keyword.id, at(3))
      yield* r.tagging.applyLabel(tenantId, conversation.id, label.id, at(3))
      yield* r.calls.insert(call)
      yield* r.idempotency.insert(idempotency)
      yield* r.activity.append([event, { ...event, id: one(A.arbitraries.id) }])
    })
  const q = <A, E>(work: (r: StorageRepositories) => Effect.Effect<A, E>) => run(storage.query(work))
  /** Reads every table and index the writes above touch; all of them show nothing of those writes. */
  const expectUntouched = async () => {
    const seen = await q((r) =>
      Effect.all({
        settings: r.settings.get(tenantId),
        contact: r.contacts.get(tenantId, contact.id),
        other: r.contacts.get(tenantId, other.id),
        conversation: r.conversations.get(tenantId, conversation.id),
        opened: r.conversations.get(tenantId, opened.id),
        history: r.conversations.listByContact(tenantId, other.id, { limit: 10 }),
        search: r.conversations.search(tenantId, {}, { limit: 10 }),
        department: r.departments.findByName(tenantId, department.normalizedName),
        keywords: r.keywords.list(tenantId, { includeArchived: true, limit: 100 }),
        label: r.labels.get(tenantId, label.id),
        notes: r.notes.listBySubject(tenantId, note.subject, { limit: 100 }),
        tags: r.tagging.keywordsOf(tenantId, conversation.id),
        labels: r.tagging.labelsOf(tenantId, conversation.id),
        byKey: r.calls.findByIdempotencyKey(tenantId, call.idempotencyKey),
        byProvider: r.calls.findByProviderCallId(tenantId, "provider-1"),
        calls: r.calls.listByConversation(tenantId, conversation.id, { limit: 5 }),
        idempotency: r.idempotency.find(tenantId, idempotency.key),
        events: r.activity.listByContact(tenantId, contact.id, { limit: 10 }),
        outbox: r.activity.readOutbox(0, 10),
        details: r.details.load(tenantId, conversation.id, { history: 5, notes: 5 }, { agentId: "alice", role: "agent" }),
      }),
    )
    expect(seen).toMatchObject({
      settings: null,
      contact,
      other: null,
      conversation,
      opened: null,
      history: [],
      department: null,
      keywords: [],
      label: null,
      notes: [],
      tags: [],
      labels: [],
      byKey: null,
      byProvider: null,
      calls: [],
      idempotency: null,
      events: [],
      outbox: [],
      details: { conversation, notes: { contact: [], conversation: [] }, viewerNote: null, keywords: [], labels: [], recentCalls: [] },
    })
    expect(seen.search.map((c) => c.id)).toEqual([conversation.id])
  }
  /** After a failed unit of work, the same writes succeed: no name, key or position is left taken. */
  const expectWritableAgain = async () => {
    await run(storage.transaction(writeEverything))
    expect(await q((r) => r.keywords.findByName(tenantId, keyword.normalizedName))).toEqual(keyword)
    expect(await q((r) => r.calls.findByProviderCallId(tenantId, "provider-1"))).toEqual(call)
    expect((await q((r) => r.activity.readOutbox(0, 10))).map((e) => e.position)).toEqual([1, 2])
    expect(await q((r) => r.notes.listBySubject(tenantId, note.subject, { limit: 100 }))).toEqual([note])
  }
  return { storage, contact, conversation, note, keyword, writeEverything, expectUntouched, expectWritableAgain, q }
}

describe("memory store", () => {
  describe("a unit of work that writes to every table", () => {
    it("leaves nothing when it fails", async () => {
      const f = await fixture()
      const exit = await run(Effect.exit(f.storage.transaction((r) => Effect.andThen(f.writeEverything(r), Effect.fail("boom" as const)))))
      expect(exit).toEqual(Exit.fail("boom"))
      await f.expectUntouched()
      await f.expectWritableAgain()
    })

    it("leaves nothing when it dies", async () => {
      const f = await fixture()
      const exit = await run(Effect.exit(f.storage.transaction((r) => Effect.andThen(f.writeEverything(r), Effect.die(new Error("bug"))))))
      expect(Exit.hasDies(exit)).toBe(true)
      await f.expectUntouched()
      await f.expectWritableAgain()
    })

    it("leaves nothing when it is interrupted from outside while suspended after its writes", async () => {
      const f = await fixture()
      const written = await run(Deferred.make<void>())
      const fiber = Effect.runFork(
        f.storage.transaction((r) => Effect.andThen(f.writeEverything(r), Effect.andThen(Deferred.succeed(written, undefined), Effect.never))),
      )
      await run(Deferred.await(written))
      await run(Fiber.interrupt(fiber))
      expect(Exit.hasInterrupts(await run(Fiber.await(fiber)))).toBe(true)
      await f.expectUntouched()
      await f.expectWritableAgain()
    })

    it("is not seen by queries while it runs, and queries do not wait for it", async () => {
      const f = await fixture()
      const written = await run(Deferred.make<void>())
      const release = await run(Deferred.make<void>())
      const fiber = Effect.runFork(
        f.storage.transaction((r) => Effect.andThen(f.writeEverything(r), Effect.andThen(Deferred.succeed(written, undefined), Deferred.await(release)))),
      )
      await run(Deferred.await(written))
      // The transaction holds the store's lock and has written everything: queries answer at once,
      // from the committed state.
      await f.expectUntouched()
      // A query that reads before and after the commit keeps reading the state it started on.
      const noteAcrossCommit = await f.q((r) =>
        Effect.gen(function* () {
          const before = yield* r.notes.get(tenantId, f.note.id)
          yield* Deferred.succeed(release, undefined)
          yield* Fiber.join(fiber)
          const after = yield* r.notes.get(tenantId, f.note.id)
          return { before, after }
        }),
      )
      expect(noteAcrossCommit).toEqual({ before: null, after: null })
      expect(await f.q((r) => r.notes.get(tenantId, f.note.id))).toEqual(f.note)
      expect(await f.q((r) => r.keywords.findByName(tenantId, f.keyword.normalizedName))).toEqual(f.keyword)
    })

    it("sees its own writes, in every index, before it commits", async () => {
      const f = await fixture()
      const seen = await run(
        f.storage.transaction((r) =>
          Effect.andThen(
            f.writeEverything(r),
            Effect.all({
              notes: r.notes.listBySubject(tenantId, f.note.subject, { limit: 100 }),
              byName: r.keywords.findByName(tenantId, f.keyword.normalizedName),
              tags: r.tagging.keywordsOf(tenantId, f.conversation.id),
              outbox: r.activity.readOutbox(0, 10),
            }),
          ),
        ),
      )
      expect(seen.notes).toEqual([f.note])
      expect(seen.byName).toEqual(f.keyword)
      expect(seen.tags).toEqual([f.keyword])
      expect(seen.outbox.map((e) => e.position)).toEqual([1, 2])
    })
  })

  it("refuses writes outside a transaction, and through repositories kept after theirs ended", async () => {
    const f = await fixture()
    const write = (r: StorageRepositories) => r.notes.insert(f.note)
    expect(Exit.hasDies(await run(Effect.exit(f.storage.query(write))))).toBe(true)
    const kept = await run(f.storage.transaction((r) => Effect.succeed(r)))
    expect(Exit.hasDies(await run(Effect.exit(write(kept))))).toBe(true)
    expect(await f.q((r) => r.notes.get(tenantId, f.note.id))).toBeNull()
  })

  it("keeps copies: mutating what went in or came out changes nothing stored", async () => {
    const f = await fixture()
    const note = structuredClone(f.note) as { body: string }
    await run(f.storage.transaction((r) => r.notes.insert(note as typeof f.note)))
    note.body = "changed after insert"
    const read = (await f.q((r) => r.notes.get(tenantId, f.note.id))) as { body: string }
    expect(read.body).toBe(f.note.body)
    read.body = "changed after read"
    expect(await f.q((r) => r.notes.listBySubject(tenantId, f.note.subject, { limit: 100 }))).toEqual([f.note])
  })

  it("numbers the outbox 1, 2, 3... in commit order, failed units of work taking no position", async () => {
    const storage = makeMemoryStorage()
    const event = (i: number) => ({ ...one(A.activityEvent(tenantId, null, null)), id: `event-${i}` })
    const committed: Array<string> = []
    const append = (i: number) =>
      storage.transaction((r) =>
        Effect.andThen(
          Effect.andThen(r.activity.append([event(i)]), Effect.yieldNow),
          i % 3 === 0 ? Effect.fail("no") : Effect.sync(() => committed.push(`event-${i}`)),
        ),
      )
    await run(
      Effect.all(
        Array.from({ length: 30 }, (_, i) => Effect.exit(append(i))),
        { concurrency: "unbounded" },
      ),
    )
    const outbox = await run(storage.query((r) => r.activity.readOutbox(0, 100)))
    expect(outbox.map((e) => e.position)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
    expect(outbox.map((e) => e.event.id)).toEqual(committed)
    expect((await run(storage.query((r) => r.activity.readOutbox(17, 2)))).map((e) => e.position)).toEqual([18, 19])
    expect(await run(storage.query((r) => r.activity.readOutbox(20, 2)))).toEqual([])
  })

  describe("cost as the store grows", () => {
    // Generated once and given fresh ids: generating each record would cost more than storing it.
    const templates = {
      // Without identities: the copies of one contact in a tenant would share them, which a store refuses.
      contact: { ...one(A.contact(tenantId)), primaryPhone: null, phones: [], email: null, channelIdentities: [] },
      conversation: one(A.conversation(tenantId, "contact")),
      notes: fc.sample(A.note(tenantId, { kind: "conversation", id: "conversation" }, "contact"), 100),
      events: fc.sample(A.activityEvent(tenantId, "conversation", "contact"), 100),
    }
    /** A conversation of `owner` with `count` notes and as many events, all new. */
    const conversationWith = (owner: string, count: number) => {
      const contact = { ...templates.contact, tenantId: owner, id: crypto.randomUUID() }
      const conversation = { ...templates.conversation, tenantId: owner, contactId: contact.id, id: crypto.randomUUID() }
      const subject = { kind: "conversation" as const, id: conversation.id }
      const notes = templates.notes.slice(0, count).map((n) => ({ ...n, tenantId: owner, id: crypto.randomUUID(), subject, contactId: contact.id }))
      const events = templates.events
        .slice(0, count)
        .map((e) => ({ ...e, tenantId: owner, id: crypto.randomUUID(), conversationId: conversation.id, contactId: contact.id }))
      return { contact, conversation, notes, events }
    }
    /** A store with `notes` notes (and events) of other tenants, and the measured conversation. */
    const storeWith = async (notes: number) => {
      const storage = makeMemoryStorage()
      for (let n = 0; n < notes; n += 100) {
        const batch = conversationWith(`tenant-${n % 7}`, Math.min(100, notes - n))
        await run(
          storage.transaction((r) =>
            Effect.all([
              r.contacts.insert(batch.contact),
              r.conversations.insert(batch.conversation),
              ...batch.notes.map((x) => r.notes.insert(x)),
              r.activity.append(batch.events),
            ]),
          ),
        )
      }
      const { contact, conversation } = conversationWith(tenantId, 0)
      await run(storage.transaction((r) => Effect.andThen(r.contacts.insert(contact), r.conversations.insert(conversation))))
      return { storage, contact, conversation }
    }
    const median = (values: Array<number>) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
    const time = async (effect: Effect.Effect<unknown, unknown>) => {
      const started = performance.now()
      await Effect.runPromise(effect)
      return performance.now() - started
    }
    /** Medians of `operation` on both stores, alternating call by call after a warm-up. */
    const compare = async (
      stores: ReadonlyArray<Awaited<ReturnType<typeof storeWith>>>,
      operation: (s: (typeof stores)[number]) => Effect.Effect<unknown, unknown>,
    ) => {
      const samples = stores.map(() => [] as Array<number>)
      for (let i = 0; i < 400; i++) {
        for (const [j, s] of stores.entries()) {
          const took = await time(operation(s))
          if (i >= 100) samples[j]!.push(took)
        }
      }
      return samples.map(median)
    }

    // Wide margins: the figures that matter come from `npm run bench:memory`; this catches a write
    // or a read that goes back to following the size of the whole store (20,000 notes would make it
    // tens of times slower).
    it("adding a note and reading the Details panel cost about the same with 20,000 notes stored as with 200", async () => {
      const stores = [await storeWith(200), await storeWith(20_000)]
      const addNote = (s: (typeof stores)[number]) => {
        const { notes, events } = conversationWith(tenantId, 1)
        const note = { ...notes[0]!, subject: { kind: "conversation" as const, id: s.conversation.id }, contactId: s.contact.id }
        const event = { ...events[0]!, conversationId: s.conversation.id, contactId: s.contact.id }
        return s.storage.transaction((r) => Effect.andThen(r.notes.insert(note), r.activity.append([event])))
      }
      const [smallWrite, largeWrite] = await compare(stores, addNote)
      const [smallRead, largeRead] = await compare(stores, (s) =>
        s.storage.query((r) => r.details.load(tenantId, s.conversation.id, { history: 5, notes: 21 }, { agentId: "alice", role: "agent" })),
      )
      expect(largeWrite! / smallWrite!).toBeLessThan(2)
      expect(largeRead! / smallRead!).toBeLessThan(2)
    }, 60_000)
  })
})
