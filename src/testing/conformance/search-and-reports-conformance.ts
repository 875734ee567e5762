import { Effect } from "effect"
import fc from "fast-check"
import { expect, it } from "vitest"
import type { Conversation } from "../../domain/conversation/conversation"
import type { StorageRepositories } from "../../ports/storage"
import * as A from "../arbitraries/entities"
import { conformanceKit, one, newTenant, at } from "./conformance-kit"
import type { StorageSubSuite } from "./storage-sub-suite"
import { volumeOrder } from "../../domain/shared/ordering"

/**
 * The `searchAndReports` sub-suite of the storage conformance suite.
 * Conversation search on every criterion, combined and in slices, and volume reports per dimension.
 *
 * @example
 * ```ts
 * import { memoryStorage } from "rmc-details"
 * import { describeStorageConformance } from "rmc-details/testing"
 * describeStorageConformance("memory", memoryStorage(), { only: ["searchAndReports"] })
 * ```
 */
export const searchAndReportsConformance: StorageSubSuite = (storage) => {
  const { tx, q } = conformanceKit(storage)

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
    expect(await ids({ keywords: { anyOf: [k1!.id, k2!.id] }, labels: { anyOf: [hot!.id] }, departmentIds: [sales!.id], from: at(0), to: at(59) })).toEqual(
      order(c1),
    )
    const firstTwo = await q((r) => r.conversations.search(tenantId, {}, { limit: 2 }))
    const last = firstTwo.at(-1)!
    const rest = await q((r) => r.conversations.search(tenantId, {}, { limit: 10, after: { at: last.lastActivityAt, id: last.id } }))
    expect([...firstTwo, ...rest].map((c) => c.id)).toEqual(order(c1, c2, c3, c4))
    expect(await q((r) => r.conversations.search(newTenant(), {}, { limit: 10 }))).toEqual([])

    const volumes = (dimension: "department" | "keyword" | "label" | "channel", from = at(0), to = at(59)) =>
      q((r) => r.conversations.volumes(tenantId, dimension, from, to))
    const sorted = <T extends { key: string | null; count: number }>(rows: Array<T>) => rows.sort(volumeOrder)
    expect(await volumes("department")).toEqual(
      sorted([
        { key: sales!.id, name: "D0", count: 2 },
        { key: support!.id, name: "D1", count: 1 },
        { key: null, name: null, count: 1 },
      ]),
    )
    expect(await volumes("keyword")).toEqual(
      sorted([
        { key: k1!.id, name: "K0", count: 2 },
        { key: k2!.id, name: "K1", count: 2 },
      ]),
    )
    expect(await volumes("label")).toEqual([{ key: hot!.id, name: "Hot", count: 2 }])
    expect(await volumes("channel", at(0), at(10))).toEqual([
      { key: "whatsapp", name: "whatsapp", count: 2 },
      { key: "email", name: "email", count: 1 },
    ])
    expect(await q((r) => r.conversations.volumes(newTenant(), "channel", at(0), at(59)))).toEqual([])
  })
}
