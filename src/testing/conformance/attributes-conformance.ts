import { Effect, Layer } from "effect"
import { expect, it } from "vitest"
import type { AttributeDefinition, AttributeSubject, AttributeType, AttributeValue, StoredAttributeValue } from "../../domain/attribute/attribute-definition"
import type { Principal } from "../../domain/shared/principal"
import { rmcLayer } from "../../facade/rmc-layer"
import { Storage, type StoreAttributeCondition } from "../../ports/storage"
import { useCases } from "../../use-cases"
import { at, conformanceKit, newTenant } from "./conformance-kit"
import type { StorageSubSuite } from "./storage-sub-suite"
import { useCaseRunner } from "./use-case-runner"

const definition = (tenantId: string, key: string, type: AttributeType, overrides: Partial<AttributeDefinition> = {}): AttributeDefinition => ({
  id: crypto.randomUUID(),
  tenantId,
  key,
  label: key.toUpperCase(),
  type,
  target: "contact",
  options: type === "enum" ? ["Gold", "Silver"] : [],
  required: false,
  createdAt: at(0),
  archivedAt: null,
  version: 1,
  ...overrides,
})

const stored = (tenantId: string, subject: AttributeSubject, key: string, type: AttributeType, value: AttributeValue): StoredAttributeValue => ({
  tenantId,
  subject,
  key,
  type,
  value,
  updatedAt: at(1),
})

/**
 * The `attributes` sub-suite of the storage conformance suite: custom attribute definitions (keys
 * unique per tenant, pages by key, optimistic concurrency) and values (typed round trips, one per
 * subject and key, in the Details read), conversation search criteria on them, tenant isolation,
 * and concurrent agents setting values of one contact.
 *
 * @example
 * ```ts
 * import { memoryStorage } from "rmc-details"
 * import { describeStorageConformance } from "rmc-details/testing"
 * describeStorageConformance("memory", memoryStorage(), { only: ["attributes"] })
 * ```
 */
export const attributesConformance: StorageSubSuite = (storage) => {
  const { tx, q, txFailure, seedConversation } = conformanceKit(storage)
  const { ok, errorOf } = useCaseRunner(() => rmcLayer({ storage: Layer.succeed(Storage, storage()) }))

  it("keep definitions with keys unique per tenant, read by id and key, paged by key, updated with optimistic concurrency", async () => {
    const tenantId = newTenant()
    const other = newTenant()
    const tier = definition(tenantId, "tier", "enum")
    const seats = definition(tenantId, "seats", "number", { target: "conversation", required: true })
    const archived = definition(tenantId, "old", "text", { archivedAt: at(2) })
    const elsewhere = definition(other, "tier", "text")
    await tx((r) => Effect.forEach([tier, seats, archived, elsewhere], (d) => r.attributes.insert(d)))
    expect(await q((r) => r.attributes.get(tenantId, tier.id))).toEqual(tier)
    expect(await q((r) => r.attributes.get(other, tier.id))).toBeNull()
    const found = await q((r) => r.attributes.findByKeys(tenantId, ["tier", "seats", "nope", "tier"]))
    expect([...found].sort((a, b) => (a.key < b.key ? -1 : 1))).toEqual([seats, tier])
    expect(await q((r) => r.attributes.findByKeys(tenantId, []))).toEqual([])

    const taken = await txFailure((r) => r.attributes.insert(definition(tenantId, "tier", "text", { target: "conversation" })))
    expect(taken).toMatchObject({ code: "name_taken", entity: "attribute", name: "tier" })

    expect(await q((r) => r.attributes.list(tenantId, { includeArchived: false, limit: 10 }))).toEqual([seats, tier])
    expect(await q((r) => r.attributes.list(tenantId, { includeArchived: true, limit: 10 }))).toEqual([archived, seats, tier])
    expect(await q((r) => r.attributes.list(tenantId, { includeArchived: true, limit: 1, after: { name: "old", id: archived.id } }))).toEqual([seats])
    expect(await q((r) => r.attributes.list(tenantId, { includeArchived: true, target: "conversation", limit: 10 }))).toEqual([seats])
    expect(await q((r) => r.attributes.requiredOf(tenantId, "conversation"))).toEqual([seats])
    expect(await q((r) => r.attributes.requiredOf(tenantId, "contact"))).toEqual([])

    const next = { ...tier, label: "Tier", options: [...tier.options, "Platinum"], required: true, version: 2 }
    await tx((r) => r.attributes.update(next))
    expect(await q((r) => r.attributes.get(tenantId, tier.id))).toEqual(next)
    expect(await txFailure((r) => r.attributes.update({ ...next, label: "Stale" }))).toMatchObject({ code: "version_conflict", expected: 1, actual: 2 })
    expect(await q((r) => r.attributes.get(other, elsewhere.id))).toEqual(elsewhere)
  })

  it("store one value per subject and key, read back with its type, replaced and removed, in the Details read", async () => {
    const tenantId = newTenant()
    const { contact, conversation } = await seedConversation(tenantId)
    const ofContact = { kind: "contact", id: contact.id } as const
    const ofConversation = { kind: "conversation", id: conversation.id } as const
    const values = [
      stored(tenantId, ofContact, "b_flag", "boolean", false),
      stored(tenantId, ofContact, "a_name", "text", "Zoë « l'été » 東京"),
      stored(tenantId, ofContact, "c_count", "number", 12),
      stored(tenantId, ofContact, "d_ratio", "number", -3.25),
      // A double whose shortest form needs 17 digits reads back exactly, in the Details read too.
      stored(tenantId, ofContact, "f_sum", "number", 0.1 + 0.2),
      stored(tenantId, ofContact, "e_text", "text", "true"),
      stored(tenantId, ofConversation, "a_name", "text", "on the conversation"),
    ]
    await tx((r) => Effect.forEach(values, (v) => r.attributes.putValue(v)))
    const sorted = values.filter((v) => v.subject.kind === "contact").sort((a, b) => (a.key < b.key ? -1 : 1))
    expect(await q((r) => r.attributes.valuesOf(tenantId, ofContact))).toEqual(sorted)
    expect(await q((r) => r.attributes.valuesOf(newTenant(), ofContact))).toEqual([])

    const snapshot = await q((r) => r.details.load(tenantId, conversation.id, { history: 3, notes: 3 }, { agentId: "alice", role: "supervisor" }))
    expect(snapshot?.attributes).toEqual({
      contact: { a_name: "Zoë « l'été » 東京", b_flag: false, c_count: 12, d_ratio: -3.25, e_text: "true", f_sum: 0.1 + 0.2 },
      conversation: { a_name: "on the conversation" },
    })

    await tx((r) => r.attributes.putValue(stored(tenantId, ofContact, "c_count", "number", 13)))
    expect(await tx((r) => r.attributes.deleteValue(tenantId, ofContact, "b_flag"))).toBe(true)
    expect(await tx((r) => r.attributes.deleteValue(tenantId, ofContact, "b_flag"))).toBe(false)
    expect(await tx((r) => r.attributes.deleteValue(newTenant(), ofContact, "a_name"))).toBe(false)
    expect((await q((r) => r.attributes.valuesOf(tenantId, ofContact))).map((v) => [v.key, v.value])).toEqual([
      ["a_name", "Zoë « l'été » 東京"],
      ["c_count", 13],
      ["d_ratio", -3.25],
      ["e_text", "true"],
      ["f_sum", 0.1 + 0.2],
    ])
  })

  it("filter conversation searches on values of the conversation or its contact: in, number and text ranges, exists", async () => {
    const tenantId = newTenant()
    const a = await seedConversation(tenantId)
    const b = await seedConversation(tenantId)
    const c = await seedConversation(tenantId)
    const put = (subject: AttributeSubject, key: string, type: AttributeType, value: AttributeValue) =>
      tx((r) => r.attributes.putValue(stored(tenantId, subject, key, type, value)))
    await put({ kind: "contact", id: a.contact.id }, "tier", "enum", "Gold")
    await put({ kind: "contact", id: b.contact.id }, "tier", "enum", "Silver")
    await put({ kind: "contact", id: a.contact.id }, "renewal", "date", "2027-01-15")
    await put({ kind: "contact", id: b.contact.id }, "renewal", "date", "2027-06-01")
    await put({ kind: "conversation", id: a.conversation.id }, "seats", "number", 12)
    await put({ kind: "conversation", id: b.conversation.id }, "seats", "number", 3.5)
    await put({ kind: "conversation", id: c.conversation.id }, "seats", "number", 100)
    // The same key on the other kind of record is not what a contact criterion reads.
    await put({ kind: "conversation", id: c.conversation.id }, "tier", "enum", "Gold")
    // Another tenant's values never match.
    const stranger = await seedConversation(newTenant())
    await tx((r) => r.attributes.putValue(stored(stranger.contact.tenantId, { kind: "contact", id: stranger.contact.id }, "tier", "enum", "Gold")))

    const search = async (...attributes: ReadonlyArray<StoreAttributeCondition>) =>
      (await q((r) => r.conversations.search(tenantId, { attributes }, { limit: 10 }))).map((s) => s.id).sort()
    const ids = (...found: ReadonlyArray<{ conversation: { id: string } }>) => found.map((x) => x.conversation.id).sort()
    const tier = (match: StoreAttributeCondition["match"]): StoreAttributeCondition => ({ key: "tier", target: "contact", match })
    const seats = (match: StoreAttributeCondition["match"]): StoreAttributeCondition => ({ key: "seats", target: "conversation", match })
    expect(await search(tier({ kind: "in", texts: ["Gold"] }))).toEqual(ids(a))
    expect(await search(tier({ kind: "in", texts: ["Gold", "Silver"] }))).toEqual(ids(a, b))
    expect(await search(tier({ kind: "exists", exists: false }))).toEqual(ids(c))
    expect(await search(seats({ kind: "range", on: "number", min: 3.5, max: 12 }))).toEqual(ids(a, b))
    expect(await search(seats({ kind: "range", on: "number", min: 12 }))).toEqual(ids(a, c))
    expect(await search(seats({ kind: "range", on: "number", max: 3.5 }))).toEqual(ids(b))
    expect(await search(seats({ kind: "range", on: "number" }))).toEqual(ids(a, b, c))
    expect(await search({ key: "renewal", target: "contact", match: { kind: "range", on: "text", min: "2027-01-16" } })).toEqual(ids(b))
    expect(await search({ key: "renewal", target: "contact", match: { kind: "range", on: "text", min: "2027-01-15", max: "2027-01-15" } })).toEqual(ids(a))
    expect(await search(seats({ kind: "exists", exists: true }), tier({ kind: "in", texts: ["Silver"] }))).toEqual(ids(b))
    expect(await search(seats({ kind: "in", texts: ["12"] }))).toEqual(ids(a))
    expect(await search(tier({ kind: "in", texts: ["Bronze"] }))).toEqual([])

    // Conversations counted by their contact's value, those without one under null.
    const period = ["2000-01-01T00:00:00.000Z", "2100-01-01T00:00:00.000Z"] as const
    const byTier = await q((r) => r.conversations.volumes(tenantId, "attribute", period[0], period[1], { key: "tier", target: "contact" }))
    expect(byTier).toEqual([
      { key: "Gold", name: "Gold", count: 1 },
      { key: "Silver", name: "Silver", count: 1 },
      { key: null, name: null, count: 1 },
    ])
    const byOwnTier = await q((r) => r.conversations.volumes(tenantId, "attribute", period[0], period[1], { key: "tier", target: "conversation" }))
    expect(byOwnTier).toEqual([
      { key: null, name: null, count: 2 },
      { key: "Gold", name: "Gold", count: 1 },
    ])
  })

  it("let concurrent agents set values of one contact without losing any, and refuse a stale version", async () => {
    const tenantId = newTenant()
    const agent: Principal = { tenantId, agentId: "alice", role: "agent" }
    const admin: Principal = { tenantId, agentId: "root", role: "admin" }
    const keys = Array.from({ length: 6 }, (_, i) => `k${i}`)
    for (const key of keys) await ok(useCases.defineAttribute(admin, { key, label: key, type: "number", target: "contact" }))
    const contact = await ok(useCases.createContact(agent, { fullName: "Camille Martin" }))
    const subject = { kind: "contact", id: contact.id } as const
    await Promise.all(keys.map((key, i) => ok(useCases.setAttributes(agent, { subject, values: { [key]: i } }))))
    const read = await ok(useCases.getAttributes(agent, { subject }))
    expect(read.values).toEqual(Object.fromEntries(keys.map((key, i) => [key, i])))
    expect(read.version).toBe(contact.version + keys.length)
    expect(await errorOf(useCases.setAttributes(agent, { subject, values: { k0: 9 }, expectedVersion: contact.version }))).toMatchObject({
      code: "version_conflict",
    })
    expect((await ok(useCases.getAttributes(agent, { subject }))).values.k0).toBe(0)
  })
}
