import { Effect } from "effect"
import fc from "fast-check"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { ActivityEvent } from "../../domain/activity/activity-event"
import type { Contact } from "../../domain/contact/contact"
import type { Conversation } from "../../domain/conversation/conversation"
import type { Note } from "../../domain/note/note"
import { IdempotencyConflictError, NameTakenError, VersionConflictError } from "../../domain/shared/errors"
import { normalizeName } from "../../domain/tagging/normalize-name"
import type { Storage, StorageRepositories } from "../../ports/storage"
import * as A from "../arbitraries/entities"
import { storageModelTest } from "./storage-model"

/**
 * A store under test, as `describeStorageConformance` opens it.
 *
 * @example
 * ```ts
 * import { makeMemoryStorage } from "rmc-details"
 * import type { StorageUnderTest } from "rmc-details/testing"
 * const open = async (): Promise<StorageUnderTest> => ({ storage: makeMemoryStorage() })
 * ```
 */
export interface StorageUnderTest {
  readonly storage: Storage["Service"]
  /** Releases the store (pool, file, schema) after the suite. */
  readonly close?: (() => Promise<void>) | undefined
}

/**
 * Options of the conformance suite.
 *
 * @example
 * ```ts
 * import type { StorageConformanceOptions } from "rmc-details/testing"
 * const options: StorageConformanceOptions = { numRuns: 100 }
 * ```
 */
export interface StorageConformanceOptions {
  /** Runs of each property and of the model-based test; `RMC_NUM_RUNS` or 25 by default. */
  readonly numRuns?: number | undefined
}

const one = <T>(arbitrary: fc.Arbitrary<T>): T => fc.sample(arbitrary, 1)[0]!
const run = <A, E>(effect: Effect.Effect<A, E>): Promise<A> => Effect.runPromise(effect)
const failure = <A, E>(effect: Effect.Effect<A, E>): Promise<E> => Effect.runPromise(Effect.flip(effect))
const newTenant = () => `t-${crypto.randomUUID().slice(0, 18)}`
const at = (minute: number) => new Date(Date.UTC(2026, 2, 1, 9, minute)).toISOString()

/**
 * Declares the storage conformance suite in vitest: every method of the storage port, tenant
 * isolation, optimistic concurrency, unique catalog names, idempotency keys, all-or-nothing
 * transactions, and a model-based test of random command sequences against a reference model.
 * Every adapter of the SDK runs it, and so can yours: call it at the top level of a test file.
 *
 * Each test works in fresh tenants, so the store may be a shared database that holds other data.
 *
 * @example
 * ```ts
 * import { makeMemoryStorage } from "rmc-details"
 * import { describeStorageConformance } from "rmc-details/testing"
 * describeStorageConformance("memory", async () => ({ storage: makeMemoryStorage() }))
 * ```
 */
export const describeStorageConformance = (
  name: string,
  open: () => Promise<StorageUnderTest>,
  options: StorageConformanceOptions = {},
): void => {
  const numRuns = options.numRuns ?? Number(process.env.RMC_NUM_RUNS ?? 25)

  describe(`storage conformance: ${name}`, () => {
    let store: StorageUnderTest
    beforeAll(async () => {
      store = await open()
    })
    afterAll(async () => {
      await store?.close?.()
    })
    const tx = <A, E>(work: (r: StorageRepositories) => Effect.Effect<A, E>) => run(store.storage.transaction(work))
    const q = <A, E>(work: (r: StorageRepositories) => Effect.Effect<A, E>) => run(store.storage.query(work))

    const seedConversation = async (tenantId: string, overrides: Partial<Conversation> = {}) => {
      const contact = one(A.contact(tenantId))
      const conversation = { ...one(A.conversation(tenantId, contact.id)), ...overrides, contactId: contact.id }
      await tx((r) => Effect.andThen(r.contacts.insert(contact), r.conversations.insert(conversation)))
      return { contact, conversation }
    }

    describe("settings", () => {
      it("are inserted at version 1, then replaced only from the stored version", async () => {
        const tenantId = newTenant()
        expect(await q((r) => r.settings.get(tenantId))).toBeNull()
        const v1 = { ...one(A.tenantSettings(tenantId)), version: 1 }
        await tx((r) => r.settings.put(v1))
        expect(await q((r) => r.settings.get(tenantId))).toEqual(v1)
        const v2 = { ...v1, policies: { noteBeforeTransfer: !v1.policies.noteBeforeTransfer }, version: 2 }
        await tx((r) => r.settings.put(v2))
        const stale = await failure(store.storage.transaction((r) => r.settings.put({ ...v1, defaultRegion: "US", version: 2 })))
        expect(stale).toBeInstanceOf(VersionConflictError)
        expect(await failure(store.storage.transaction((r) => r.settings.put({ ...v1, version: 1 })))).toBeInstanceOf(VersionConflictError)
        expect(await q((r) => r.settings.get(tenantId))).toEqual(v2)
      })
    })

    describe("contacts and conversations", () => {
      it("round-trip exactly, and are null in another tenant", async () => {
        const tenantId = newTenant()
        const { contact, conversation } = await seedConversation(tenantId)
        expect(await q((r) => r.contacts.get(tenantId, contact.id))).toEqual(contact)
        expect(await q((r) => r.conversations.get(tenantId, conversation.id))).toEqual(conversation)
        expect(await q((r) => r.contacts.get(newTenant(), contact.id))).toBeNull()
        expect(await q((r) => r.conversations.get(newTenant(), conversation.id))).toBeNull()
        expect(await q((r) => r.contacts.get(tenantId, one(A.arbitraries.id)))).toBeNull()
      })

      it("refuse a stale version with a typed error and keep the stored record", async () => {
        const tenantId = newTenant()
        const { contact, conversation } = await seedConversation(tenantId)
        const moved: Conversation = { ...conversation, status: "resolved", version: 2 }
        await tx((r) => r.conversations.update(moved))
        const lost = await failure(store.storage.transaction((r) => r.conversations.update({ ...conversation, status: "pending", version: 2 })))
        expect(lost).toBeInstanceOf(VersionConflictError)
        expect(lost).toMatchObject({ entity: "conversation", id: conversation.id, expected: 1, actual: 2 })
        expect(await q((r) => r.conversations.get(tenantId, conversation.id))).toEqual(moved)
        const renamed: Contact = { ...contact, fullName: "Renamed", version: 2 }
        await tx((r) => r.contacts.update(renamed))
        expect(await failure(store.storage.transaction((r) => r.contacts.update({ ...contact, version: 2 })))).toBeInstanceOf(VersionConflictError)
        expect(await q((r) => r.contacts.get(tenantId, contact.id))).toEqual(renamed)
        // the same record under another tenant is not there to update
        expect(await failure(store.storage.transaction((r) => r.conversations.update({ ...moved, tenantId: newTenant(), version: 3 })))).toBeInstanceOf(
          VersionConflictError,
        )
      })

      it("list a contact's conversations by last activity, newest first, in slices", async () => {
        const tenantId = newTenant()
        const contact = one(A.contact(tenantId))
        const conversations = fc
          .sample(A.conversation(tenantId, contact.id), 7)
          .map((c, i) => ({ ...c, lastActivityAt: at(i % 3), createdAt: at(0) }))
        await tx((r) => Effect.andThen(r.contacts.insert(contact), Effect.forEach(conversations, (c) => r.conversations.insert(c))))
        const expected = [...conversations].sort((a, b) => (a.lastActivityAt === b.lastActivityAt ? (a.id < b.id ? 1 : -1) : a.lastActivityAt < b.lastActivityAt ? 1 : -1))
        const all = await q((r) => r.conversations.listByContact(tenantId, contact.id, { limit: 100 }))
        expect(all.map((c) => c.id)).toEqual(expected.map((c) => c.id))
        expect(all[0]).toEqual({
          id: expected[0]!.id,
          contactId: contact.id,
          channel: expected[0]!.channel,
          status: expected[0]!.status,
          assigneeId: expected[0]!.assigneeId,
          departmentId: null,
          departmentName: null,
          labels: [],
          createdAt: expected[0]!.createdAt,
          lastActivityAt: expected[0]!.lastActivityAt,
        })
        const paged: Array<string> = []
        let after: { at: string; id: string } | undefined
        for (;;) {
          const slice = await q((r) => r.conversations.listByContact(tenantId, contact.id, { limit: 3, after }))
          paged.push(...slice.map((c) => c.id))
          const last = slice.at(-1)
          if (slice.length < 3 || last === undefined) break
          after = { at: last.lastActivityAt, id: last.id }
        }
        expect(paged).toEqual(expected.map((c) => c.id))
        expect(await q((r) => r.conversations.listByContact(newTenant(), contact.id, { limit: 10 }))).toEqual([])
      })
    })

    describe("catalogs", () => {
      for (const kind of ["departments", "keywords", "labels"] as const) {
        const make = (tenantId: string) =>
          kind === "departments" ? one(A.department(tenantId)) : kind === "keywords" ? one(A.keyword(tenantId)) : one(A.label(tenantId))

        it(`${kind}: names are unique per tenant, ignoring case and accents`, async () => {
          await fc.assert(
            fc.asyncProperty(A.arbitraries.catalogName.chain((n) => fc.tuple(fc.constant(n), A.nameVariant(n))), async ([name, variant]) => {
              const tenantId = newTenant()
              const first = { ...make(tenantId), name, normalizedName: normalizeName(name) }
              const second = { ...make(tenantId), name: variant, normalizedName: normalizeName(variant) }
              await tx((r) => (r[kind] as StorageRepositories["labels"]).insert(first as never))
              const taken = await failure(store.storage.transaction((r) => (r[kind] as StorageRepositories["labels"]).insert(second as never)))
              expect(taken).toBeInstanceOf(NameTakenError)
              // another tenant may use the name
              const elsewhere = { ...make(newTenant()), name, normalizedName: normalizeName(name) }
              await tx((r) => (r[kind] as StorageRepositories["labels"]).insert(elsewhere as never))
              expect(await q((r) => r[kind].findByName(tenantId, normalizeName(variant)))).toEqual(first)
            }),
            { numRuns: Math.min(numRuns, 10) },
          )
        })

        it(`${kind}: are listed by name, archived ones on request, and renamed without stealing a name`, async () => {
          const tenantId = newTenant()
          const names = ["Zèbre", "alpha", "Mid"]
          const records = names.map((n) => ({ ...make(tenantId), name: n, normalizedName: normalizeName(n) }))
          await tx((r) => Effect.forEach(records, (rec) => (r[kind] as StorageRepositories["labels"]).insert(rec as never)))
          expect((await q((r) => r[kind].list(tenantId, false))).map((x) => x.name)).toEqual(["alpha", "Mid", "Zèbre"])
          const archived = { ...records[0]!, archivedAt: at(5) }
          await tx((r) => (r[kind] as StorageRepositories["labels"]).update(archived as never))
          expect((await q((r) => r[kind].list(tenantId, false))).map((x) => x.name)).toEqual(["alpha", "Mid"])
          expect((await q((r) => r[kind].list(tenantId, true))).map((x) => x.name)).toEqual(["alpha", "Mid", "Zèbre"])
          expect(await q((r) => r[kind].get(tenantId, records[0]!.id))).toEqual(archived)
          const steal = { ...records[1]!, name: "MID", normalizedName: "mid" }
          expect(await failure(store.storage.transaction((r) => (r[kind] as StorageRepositories["labels"]).update(steal as never)))).toBeInstanceOf(
            NameTakenError,
          )
          expect(await q((r) => r[kind].list(newTenant(), true))).toEqual([])
        })
      }
    })

    describe("notes", () => {
      it("list the live notes of a subject, newest first, and keep revisions and deletions", async () => {
        const tenantId = newTenant()
        const { contact, conversation } = await seedConversation(tenantId)
        const subject = { kind: "conversation" as const, id: conversation.id }
        const notes = fc.sample(A.note(tenantId, subject, contact.id), 4).map((n, i) => ({ ...n, createdAt: at(i) }))
        const onContact = one(A.note(tenantId, { kind: "contact", id: contact.id }, contact.id))
        await tx((r) => Effect.forEach([...notes, onContact], (n) => r.notes.insert(n)))
        const edited: Note = { ...notes[1]!, body: "edited", editedAt: at(10), revisions: [{ body: notes[1]!.body, editedBy: "sam", editedAt: at(10) }], version: 2 }
        const deleted: Note = { ...notes[2]!, deletedAt: at(11), deletedBy: "sam", version: 2 }
        await tx((r) => Effect.andThen(r.notes.update(edited), r.notes.update(deleted)))
        expect(await failure(store.storage.transaction((r) => r.notes.update({ ...notes[1]!, version: 2 })))).toBeInstanceOf(VersionConflictError)
        expect(await q((r) => r.notes.listBySubject(tenantId, subject))).toEqual([notes[3], edited, notes[0]])
        expect(await q((r) => r.notes.listBySubject(tenantId, { kind: "contact", id: contact.id }))).toEqual([onContact])
        expect(await q((r) => r.notes.get(tenantId, deleted.id))).toEqual(deleted)
        expect(await q((r) => r.notes.listBySubject(newTenant(), subject))).toEqual([])
      })
    })

    describe("tagging", () => {
      it("attaches and applies as sets, one element at a time", async () => {
        const tenantId = newTenant()
        const { conversation } = await seedConversation(tenantId)
        const [k1, k2] = fc.sample(A.keyword(tenantId), 2).map((k, i) => ({ ...k, name: `k${i}`, normalizedName: `k${i}` }))
        const [l1, l2] = fc.sample(A.label(tenantId), 2).map((l, i) => ({ ...l, name: `l${i}`, normalizedName: `l${i}` }))
        await tx((r) => Effect.all([r.keywords.insert(k1!), r.keywords.insert(k2!), r.labels.insert(l1!), r.labels.insert(l2!)]))
        expect(await tx((r) => r.tagging.attachKeyword(tenantId, conversation.id, k2!.id, at(1)))).toBe(true)
        expect(await tx((r) => r.tagging.attachKeyword(tenantId, conversation.id, k2!.id, at(2)))).toBe(false)
        expect(await tx((r) => r.tagging.attachKeyword(tenantId, conversation.id, k1!.id, at(3)))).toBe(true)
        expect(await q((r) => r.tagging.keywordsOf(tenantId, conversation.id))).toEqual([k1, k2])
        expect(await tx((r) => r.tagging.detachKeyword(tenantId, conversation.id, k2!.id))).toBe(true)
        expect(await tx((r) => r.tagging.detachKeyword(tenantId, conversation.id, k2!.id))).toBe(false)
        expect(await q((r) => r.tagging.keywordsOf(tenantId, conversation.id))).toEqual([k1])
        expect(await tx((r) => r.tagging.applyLabel(tenantId, conversation.id, l2!.id, at(4)))).toBe(true)
        expect(await tx((r) => r.tagging.applyLabel(tenantId, conversation.id, l1!.id, at(4)))).toBe(true)
        expect(await tx((r) => r.tagging.applyLabel(tenantId, conversation.id, l1!.id, at(5)))).toBe(false)
        expect(await q((r) => r.tagging.labelsOf(tenantId, conversation.id))).toEqual([l1, l2])
        expect(await tx((r) => r.tagging.removeLabel(tenantId, conversation.id, l1!.id))).toBe(true)
        expect(await q((r) => r.tagging.labelsOf(tenantId, conversation.id))).toEqual([l2])
        const [summary] = await q((r) => r.conversations.listByContact(tenantId, conversation.contactId, { limit: 1 }))
        expect(summary?.labels).toEqual([{ id: l2!.id, name: l2!.name, color: l2!.color }])
        expect(await q((r) => r.tagging.keywordsOf(newTenant(), conversation.id))).toEqual([])
      })

      it("moves every attachment of a keyword to another, once per conversation", async () => {
        const tenantId = newTenant()
        const { conversation: a } = await seedConversation(tenantId)
        const { conversation: b } = await seedConversation(tenantId)
        const { conversation: c } = await seedConversation(tenantId)
        const [from, to] = fc.sample(A.keyword(tenantId), 2).map((k, i) => ({ ...k, name: `m${i}`, normalizedName: `m${i}` }))
        await tx((r) => Effect.all([r.keywords.insert(from!), r.keywords.insert(to!)]))
        await tx((r) =>
          Effect.all([
            r.tagging.attachKeyword(tenantId, a.id, from!.id, at(1)),
            r.tagging.attachKeyword(tenantId, b.id, from!.id, at(1)),
            r.tagging.attachKeyword(tenantId, b.id, to!.id, at(1)),
            r.tagging.attachKeyword(tenantId, c.id, to!.id, at(1)),
          ]),
        )
        expect(await tx((r) => r.tagging.moveKeyword(tenantId, from!.id, to!.id, at(2)))).toBe(2)
        for (const conversation of [a, b, c]) expect(await q((r) => r.tagging.keywordsOf(tenantId, conversation.id))).toEqual([to])
      })
    })

    describe("search and volumes", () => {
      it("filter on every criterion, combined, and count per dimension", async () => {
        const tenantId = newTenant()
        const lead = { ...one(A.contact(tenantId)), type: "Lead" }
        const client = { ...one(A.contact(tenantId)), type: "Client" }
        const [sales, support] = fc.sample(A.department(tenantId), 2).map((d, i) => ({ ...d, name: `D${i}`, normalizedName: `d${i}` }))
        const [k1, k2] = fc.sample(A.keyword(tenantId), 2).map((k, i) => ({ ...k, name: `K${i}`, normalizedName: `k${i}` }))
        const [hot] = fc.sample(A.label(tenantId), 1).map((l) => ({ ...l, name: "Hot", normalizedName: "hot" }))
        const base = (contactId: string, i: number, fields: Partial<Conversation>): Conversation => ({
          ...one(A.conversation(tenantId, contactId)),
          createdAt: at(i),
          lastActivityAt: at(i + 30),
          ...fields,
        })
        const c1 = base(lead.id, 1, { channel: "whatsapp", status: "open", departmentId: sales!.id })
        const c2 = base(lead.id, 2, { channel: "email", status: "resolved", departmentId: null })
        const c3 = base(client.id, 3, { channel: "whatsapp", status: "pending", departmentId: support!.id })
        const c4 = base(client.id, 40, { channel: "sms", status: "open", departmentId: sales!.id })
        await tx((r) =>
          Effect.gen(function* () {
            yield* r.contacts.insert(lead)
            yield* r.contacts.insert(client)
            yield* r.departments.insert(sales!)
            yield* r.departments.insert(support!)
            yield* r.keywords.insert(k1!)
            yield* r.keywords.insert(k2!)
            yield* r.labels.insert(hot!)
            for (const c of [c1, c2, c3, c4]) yield* r.conversations.insert(c)
            yield* r.tagging.attachKeyword(tenantId, c1.id, k1!.id, at(50))
            yield* r.tagging.attachKeyword(tenantId, c1.id, k2!.id, at(50))
            yield* r.tagging.attachKeyword(tenantId, c2.id, k1!.id, at(50))
            yield* r.tagging.attachKeyword(tenantId, c4.id, k2!.id, at(50))
            yield* r.tagging.applyLabel(tenantId, c1.id, hot!.id, at(50))
            yield* r.tagging.applyLabel(tenantId, c3.id, hot!.id, at(50))
          }),
        )
        const ids = async (filter: Parameters<StorageRepositories["conversations"]["search"]>[1]) =>
          (await q((r) => r.conversations.search(tenantId, filter, { limit: 50 }))).map((c) => c.id)
        const order = (...cs: Array<Conversation>) => [...cs].sort((a, b) => (a.lastActivityAt < b.lastActivityAt ? 1 : -1)).map((c) => c.id)
        expect(await ids({})).toEqual(order(c1, c2, c3, c4))
        expect(await ids({ keywords: { anyOf: [k1!.id, k2!.id] } })).toEqual(order(c1, c2, c4))
        expect(await ids({ keywords: { allOf: [k1!.id, k2!.id] } })).toEqual(order(c1))
        expect(await ids({ labels: { anyOf: [hot!.id] } })).toEqual(order(c1, c3))
        expect(await ids({ labels: { allOf: [hot!.id] }, keywords: { anyOf: [k2!.id] } })).toEqual(order(c1))
        expect(await ids({ departmentIds: [sales!.id] })).toEqual(order(c1, c4))
        // The same criteria with other values: a store that reuses statements binds the new ones.
        expect(await ids({ departmentIds: [support!.id] })).toEqual(order(c3))
        expect(await ids({ departmentIds: [support!.id, sales!.id] })).toEqual(order(c1, c3, c4))
        expect(await ids({ channels: ["sms"] })).toEqual(order(c4))
        // An empty list matches nothing for "any of", and restricts nothing for "all of".
        expect(await ids({ keywords: { anyOf: [] } })).toEqual([])
        expect(await ids({ keywords: { allOf: [] } })).toEqual(order(c1, c2, c3, c4))
        expect(await ids({ departmentIds: [] })).toEqual([])
        expect(await ids({ contactTypes: [] })).toEqual([])
        expect(await ids({ channels: ["whatsapp"] })).toEqual(order(c1, c3))
        expect(await ids({ status: ["open", "pending"] })).toEqual(order(c1, c3, c4))
        expect(await ids({ contactTypes: ["Client"] })).toEqual(order(c3, c4))
        expect(await ids({ contactId: lead.id })).toEqual(order(c1, c2))
        expect(await ids({ from: at(2), to: at(40) })).toEqual(order(c2, c3))
        expect(
          await ids({ keywords: { anyOf: [k1!.id, k2!.id] }, labels: { anyOf: [hot!.id] }, departmentIds: [sales!.id], from: at(0), to: at(59) }),
        ).toEqual(order(c1))
        const firstTwo = await q((r) => r.conversations.search(tenantId, {}, { limit: 2 }))
        const last = firstTwo.at(-1)!
        const rest = await q((r) => r.conversations.search(tenantId, {}, { limit: 10, after: { at: last.lastActivityAt, id: last.id } }))
        expect([...firstTwo, ...rest].map((c) => c.id)).toEqual(order(c1, c2, c3, c4))
        expect(await q((r) => r.conversations.search(newTenant(), {}, { limit: 10 }))).toEqual([])

        const volumes = (dimension: "department" | "keyword" | "label" | "channel", from = at(0), to = at(59)) =>
          q((r) => r.conversations.volumes(tenantId, dimension, from, to))
        const sorted = <T extends { key: string | null; count: number }>(rows: Array<T>) =>
          rows.sort((a, b) => (a.count !== b.count ? b.count - a.count : a.key === null ? 1 : b.key === null ? -1 : a.key < b.key ? -1 : 1))
        expect(await volumes("department")).toEqual(
          sorted([
            { key: sales!.id, name: "D0", count: 2 },
            { key: support!.id, name: "D1", count: 1 },
            { key: null, name: null, count: 1 },
          ]),
        )
        expect(await volumes("keyword")).toEqual(sorted([{ key: k1!.id, name: "K0", count: 2 }, { key: k2!.id, name: "K1", count: 2 }]))
        expect(await volumes("label")).toEqual([{ key: hot!.id, name: "Hot", count: 2 }])
        expect(await volumes("channel", at(0), at(10))).toEqual([
          { key: "whatsapp", name: "whatsapp", count: 2 },
          { key: "email", name: "email", count: 1 },
        ])
        expect(await q((r) => r.conversations.volumes(newTenant(), "channel", at(0), at(59)))).toEqual([])
      })
    })

    describe("calls and idempotency", () => {
      it("keep one call per idempotency key and find it by key and by telephony id", async () => {
        const tenantId = newTenant()
        const { contact, conversation } = await seedConversation(tenantId)
        const calls = fc.sample(A.callAttempt(tenantId, conversation.id, contact.id), 7).map((c, i) => ({ ...c, idempotencyKey: `${c.idempotencyKey}-${i}`, createdAt: at(i), updatedAt: at(i), providerCallId: null }))
        await tx((r) => Effect.forEach(calls, (c) => r.calls.insert(c)))
        const twin = { ...one(A.callAttempt(tenantId, conversation.id, contact.id)), idempotencyKey: calls[0]!.idempotencyKey }
        expect(await failure(store.storage.transaction((r) => r.calls.insert(twin)))).toBeInstanceOf(IdempotencyConflictError)
        expect(await q((r) => r.calls.findByIdempotencyKey(tenantId, calls[0]!.idempotencyKey))).toEqual(calls[0])
        const dialing = { ...calls[0]!, status: "dialing" as const, providerCallId: `p-${calls[0]!.id}`, updatedAt: at(20) }
        await tx((r) => r.calls.update(dialing))
        expect(await q((r) => r.calls.findByProviderCallId(tenantId, dialing.providerCallId))).toEqual(dialing)
        expect(await q((r) => r.calls.findByProviderCallId(newTenant(), dialing.providerCallId))).toBeNull()
        expect(await q((r) => r.calls.get(tenantId, dialing.id))).toEqual(dialing)
        const recent = await q((r) => r.calls.listByConversation(tenantId, conversation.id, 5))
        expect(recent.map((c) => c.id)).toEqual(calls.slice(2).reverse().map((c) => c.id))
        // the key belongs to the tenant
        const other = newTenant()
        const seeded = await seedConversation(other)
        await tx((r) => r.calls.insert({ ...calls[0]!, id: one(A.arbitraries.id), tenantId: other, conversationId: seeded.conversation.id, contactId: seeded.contact.id }))
      })

      it("store one answer per idempotency key", async () => {
        const tenantId = newTenant()
        const record = { tenantId, key: "k-1", operation: "createLabel", requestHash: "abc", response: { id: "x", nested: [1, "two"] }, createdAt: at(1) }
        await tx((r) => r.idempotency.insert(record))
        expect(await q((r) => r.idempotency.find(tenantId, "k-1"))).toEqual(record)
        expect(await failure(store.storage.transaction((r) => r.idempotency.insert({ ...record, requestHash: "def" })))).toBeInstanceOf(IdempotencyConflictError)
        expect(await q((r) => r.idempotency.find(newTenant(), "k-1"))).toBeNull()
      })
    })

    describe("activity and outbox", () => {
      it("lists events per conversation and per contact, newest first, and publishes them in commit order", async () => {
        const tenantId = newTenant()
        const { contact, conversation } = await seedConversation(tenantId)
        const events: Array<ActivityEvent> = fc
          .sample(A.activityEvent(tenantId, conversation.id, contact.id), 5)
          .map((e, i) => ({ ...e, at: at(i) }))
        const contactOnly = { ...one(A.activityEvent(tenantId, null, contact.id)), at: at(9) }
        await tx((r) => r.activity.append(events.slice(0, 3)))
        await tx((r) => r.activity.append([...events.slice(3), contactOnly]))
        const byConversation = await q((r) => r.activity.listByConversation(tenantId, conversation.id, { limit: 3 }))
        expect(byConversation).toEqual([events[4], events[3], events[2]])
        const next = await q((r) => r.activity.listByConversation(tenantId, conversation.id, { limit: 3, after: { at: events[2]!.at, id: events[2]!.id } }))
        expect(next).toEqual([events[1], events[0]])
        expect((await q((r) => r.activity.listByContact(tenantId, contact.id, { limit: 10 })))[0]).toEqual(contactOnly)
        expect(await q((r) => r.activity.listByConversation(newTenant(), conversation.id, { limit: 10 }))).toEqual([])

        const published: Array<{ position: number; event: ActivityEvent }> = []
        let after = 0
        for (;;) {
          const batch = await q((r) => r.activity.readOutbox(after, 500))
          if (batch.length === 0) break
          for (let i = 1; i < batch.length; i++) expect(batch[i]!.position).toBeGreaterThan(batch[i - 1]!.position)
          published.push(...batch.filter((entry) => entry.event.tenantId === tenantId))
          after = batch.at(-1)!.position
        }
        expect(published.map((entry) => entry.event)).toEqual([...events, contactOnly])
      })

      it("publishes a large batch of one unit of work whole and in the order it was appended", async () => {
        const tenantId = newTenant()
        const { contact, conversation } = await seedConversation(tenantId)
        const events = fc.sample(A.activityEvent(tenantId, conversation.id, contact.id), 21).map((e, i) => ({ ...e, at: at(i) }))
        const { position: start } = (await q((r) => r.activity.readOutbox(0, 100_000))).at(-1) ?? { position: 0 }
        await tx((r) => r.activity.append(events))
        const published = await q((r) => r.activity.readOutbox(start, 100))
        expect(published.map((entry) => entry.event)).toEqual(events)
        for (let i = 1; i < published.length; i++) expect(published[i]!.position).toBeGreaterThan(published[i - 1]!.position)
      })
    })

    describe("details", () => {
      it("loads everything the panel shows in one read", async () => {
        const tenantId = newTenant()
        const settings = { ...one(A.tenantSettings(tenantId)), version: 1 }
        const { contact, conversation } = await seedConversation(tenantId)
        const department = one(A.department(tenantId))
        const withDepartment = { ...conversation, departmentId: department.id, version: 2 }
        const older = fc.sample(A.conversation(tenantId, contact.id), 4).map((c, i) => ({ ...c, lastActivityAt: at(i), createdAt: at(0) }))
        const contactNote = { ...one(A.note(tenantId, { kind: "contact", id: contact.id }, contact.id)), createdAt: at(1) }
        const conversationNote = { ...one(A.note(tenantId, { kind: "conversation", id: conversation.id }, contact.id)), createdAt: at(2) }
        const deletedNote = { ...one(A.note(tenantId, { kind: "conversation", id: conversation.id }, contact.id)), deletedAt: at(3), deletedBy: "x" }
        const otherConversationNote = one(A.note(tenantId, { kind: "conversation", id: older[0]!.id }, contact.id))
        const keyword = one(A.keyword(tenantId))
        const label = one(A.label(tenantId))
        const calls = fc.sample(A.callAttempt(tenantId, conversation.id, contact.id), 6).map((c, i) => ({ ...c, idempotencyKey: `${c.idempotencyKey}-${i}`, createdAt: at(i), updatedAt: at(i) }))
        await tx((r) =>
          Effect.gen(function* () {
            yield* r.settings.put(settings)
            yield* r.departments.insert(department)
            yield* r.conversations.update(withDepartment)
            for (const c of older) yield* r.conversations.insert(c)
            for (const n of [contactNote, conversationNote, deletedNote, otherConversationNote]) yield* r.notes.insert(n)
            yield* r.keywords.insert(keyword)
            yield* r.labels.insert(label)
            yield* r.tagging.attachKeyword(tenantId, conversation.id, keyword.id, at(1))
            yield* r.tagging.applyLabel(tenantId, conversation.id, label.id, at(1))
            for (const c of calls) yield* r.calls.insert(c)
          }),
        )
        const snapshot = await q((r) => r.details.load(tenantId, conversation.id, 3))
        expect(snapshot).not.toBeNull()
        expect(snapshot!.settings).toEqual(settings)
        expect(snapshot!.conversation).toEqual(withDepartment)
        expect(snapshot!.contact).toEqual(contact)
        expect(snapshot!.department).toEqual(department)
        expect([...snapshot!.notes].sort((a, b) => (a.id < b.id ? -1 : 1))).toEqual([contactNote, conversationNote].sort((a, b) => (a.id < b.id ? -1 : 1)))
        expect(snapshot!.keywords).toEqual([keyword])
        expect(snapshot!.labels).toEqual([label])
        const history = await q((r) => r.conversations.listByContact(tenantId, contact.id, { limit: 3 }))
        expect(snapshot!.history).toEqual(history)
        expect(snapshot!.recentCalls.map((c) => c.id)).toEqual(calls.slice(1).reverse().map((c) => c.id))
        expect(await q((r) => r.details.load(newTenant(), conversation.id, 3))).toBeNull()
        const bare = await seedConversation(tenantId)
        const plain = await q((r) => r.details.load(tenantId, bare.conversation.id, 3))
        expect(plain).toMatchObject({ department: null, notes: [], keywords: [], labels: [], recentCalls: [] })
        expect(plain!.history.map((c) => c.id)).toEqual([bare.conversation.id])
      })
    })

    describe("transactions", () => {
      it("keep nothing of a unit of work that fails, dies or is interrupted", async () => {
        const tenantId = newTenant()
        const { contact, conversation } = await seedConversation(tenantId)
        const keyword = one(A.keyword(tenantId))
        const event = one(A.activityEvent(tenantId, conversation.id, contact.id))
        const writes = (r: StorageRepositories) =>
          Effect.gen(function* () {
            yield* r.conversations.update({ ...conversation, status: "resolved", version: 2 })
            yield* r.keywords.insert(keyword)
            yield* r.tagging.attachKeyword(tenantId, conversation.id, keyword.id, at(1))
            yield* r.activity.append([event])
          })
        await failure(store.storage.transaction((r) => Effect.andThen(writes(r), Effect.fail("boom"))))
        await run(Effect.exit(store.storage.transaction((r) => Effect.andThen(writes(r), Effect.die(new Error("bug"))))))
        await run(Effect.exit(store.storage.transaction((r) => Effect.andThen(writes(r), Effect.interrupt))))
        expect(await q((r) => r.conversations.get(tenantId, conversation.id))).toEqual(conversation)
        expect(await q((r) => r.keywords.get(tenantId, keyword.id))).toBeNull()
        expect(await q((r) => r.tagging.keywordsOf(tenantId, conversation.id))).toEqual([])
        expect(await q((r) => r.activity.listByConversation(tenantId, conversation.id, { limit: 10 }))).toEqual([])
        await tx(writes)
        expect((await q((r) => r.conversations.get(tenantId, conversation.id)))?.status).toBe("resolved")
      })

      it("let concurrent writers of one conversation win once per version, never losing an update", async () => {
        const tenantId = newTenant()
        const { conversation } = await seedConversation(tenantId)
        const writer = (agent: number) =>
          Effect.result(
            store.storage.transaction((r) =>
              Effect.gen(function* () {
                const current = yield* r.conversations.get(tenantId, conversation.id)
                yield* r.conversations.update({ ...current!, assigneeId: `agent-${agent}`, version: current!.version + 1 })
              }),
            ),
          )
        const results = await run(Effect.all(Array.from({ length: 8 }, (_, i) => writer(i)), { concurrency: "unbounded" }))
        const wins = results.filter((r) => r._tag === "Success").length
        for (const r of results) if (r._tag === "Failure") expect(r.failure).toBeInstanceOf(VersionConflictError)
        expect(wins).toBeGreaterThanOrEqual(1)
        expect((await q((r) => r.conversations.get(tenantId, conversation.id)))?.version).toBe(1 + wins)
      })
    })

    describe("tenant isolation", () => {
      it("never shows or changes one tenant's records through another", async () => {
        await fc.assert(
          fc.asyncProperty(fc.integer({ min: 1, max: 3 }), async (count) => {
            const owner = newTenant()
            const intruder = newTenant()
            for (let i = 0; i < count; i++) {
              const { contact, conversation } = await seedConversation(owner)
              const note = one(A.note(owner, { kind: "contact", id: contact.id }, contact.id))
              const keyword = one(A.keyword(owner))
              await tx((r) => Effect.all([r.notes.insert(note), r.keywords.insert(keyword), r.tagging.attachKeyword(owner, conversation.id, keyword.id, at(1))]))
              expect(await q((r) => r.contacts.get(intruder, contact.id))).toBeNull()
              expect(await q((r) => r.conversations.get(intruder, conversation.id))).toBeNull()
              expect(await q((r) => r.notes.get(intruder, note.id))).toBeNull()
              expect(await q((r) => r.keywords.get(intruder, keyword.id))).toBeNull()
              expect(await q((r) => r.details.load(intruder, conversation.id, 5))).toBeNull()
              expect(await q((r) => r.tagging.keywordsOf(intruder, conversation.id))).toEqual([])
              expect(await tx((r) => r.tagging.detachKeyword(intruder, conversation.id, keyword.id))).toBe(false)
              expect(await failure(store.storage.transaction((r) => r.notes.update({ ...note, tenantId: intruder, body: "x", version: 2 })))).toBeInstanceOf(
                VersionConflictError,
              )
              expect(await q((r) => r.notes.get(owner, note.id))).toEqual(note)
              expect(await q((r) => r.tagging.keywordsOf(owner, conversation.id))).toEqual([keyword])
            }
            expect(await q((r) => r.conversations.search(intruder, {}, { limit: 10 }))).toEqual([])
            expect(await q((r) => r.keywords.list(intruder, true))).toEqual([])
          }),
          { numRuns: Math.min(numRuns, 5) },
        )
      })
    })

    storageModelTest(() => store.storage, numRuns)
  })
}
