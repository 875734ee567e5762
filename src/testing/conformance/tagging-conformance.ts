import { Effect } from "effect"
import fc from "fast-check"
import { expect, it } from "vitest"
import * as A from "../arbitraries/entities"
import { conformanceKit, newTenant, at } from "./conformance-kit"
import type { StorageSubSuite } from "./storage-sub-suite"

/**
 * The `tagging` sub-suite of the storage conformance suite.
 * Tagging: keywords and labels attached as sets, one element at a time, and a keyword's attachments
 * moved to another once per conversation.
 *
 * @example
 * ```ts
 * import { memoryStorage } from "rmc-details"
 * import { describeStorageConformance } from "rmc-details/testing"
 * describeStorageConformance("memory", memoryStorage(), { only: ["tagging"] })
 * ```
 */
export const taggingConformance: StorageSubSuite = (storage) => {
  const { tx, q, seedConversation } = conformanceKit(storage)

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
}
