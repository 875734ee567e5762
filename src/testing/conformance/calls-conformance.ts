import { Effect } from "effect"
import fc from "fast-check"
import { expect, it } from "vitest"
import { IdempotencyConflictError } from "../../domain/shared/errors"
import * as A from "../arbitraries/entities"
import { conformanceKit, one, newTenant, at } from "./conformance-kit"
import type { StorageSubSuite } from "./storage-sub-suite"

/**
 * The `calls` sub-suite of the storage conformance suite.
 * Call attempts: one per idempotency key and tenant, found by key and by telephony id, listed newest
 * first.
 *
 * @example
 * ```ts
 * import { memoryStorage } from "rmc-details"
 * import { describeStorageConformance } from "rmc-details/testing"
 * describeStorageConformance("memory", memoryStorage(), { only: ["calls"] })
 * ```
 */
export const callsConformance: StorageSubSuite = (storage) => {
  const { tx, q, txFailure, seedConversation } = conformanceKit(storage)

  it("keep one call per idempotency key and find it by key and by telephony id", async () => {
    const tenantId = newTenant()
    const { contact, conversation } = await seedConversation(tenantId)
    const calls = fc
      .sample(A.callAttempt(tenantId, conversation.id, contact.id), 7)
      .map((c, i) => ({ ...c, idempotencyKey: `${c.idempotencyKey}-${i}`, createdAt: at(i), updatedAt: at(i), providerCallId: null }))
    await tx((r) => Effect.forEach(calls, (c) => r.calls.insert(c)))
    const twin = { ...one(A.callAttempt(tenantId, conversation.id, contact.id)), idempotencyKey: calls[0]!.idempotencyKey }
    expect(await txFailure((r) => r.calls.insert(twin))).toBeInstanceOf(IdempotencyConflictError)
    expect(await q((r) => r.calls.findByIdempotencyKey(tenantId, calls[0]!.idempotencyKey))).toEqual(calls[0])
    const dialing = { ...calls[0]!, status: "dialing" as const, providerCallId: `p-${calls[0]!.id}`, updatedAt: at(20) }
    await tx((r) => r.calls.update(dialing))
    expect(await q((r) => r.calls.findByProviderCallId(tenantId, dialing.providerCallId))).toEqual(dialing)
    expect(await q((r) => r.calls.findByProviderCallId(newTenant(), dialing.providerCallId))).toBeNull()
    expect(await q((r) => r.calls.get(tenantId, dialing.id))).toEqual(dialing)
    const recent = await q((r) => r.calls.listByConversation(tenantId, conversation.id, { limit: 5 }))
    expect(recent.map((c) => c.id)).toEqual(
      calls
        .slice(2)
        .reverse()
        .map((c) => c.id),
    )
    const rest = await q((r) => r.calls.listByConversation(tenantId, conversation.id, { limit: 5, after: { at: recent[4]!.createdAt, id: recent[4]!.id } }))
    expect(rest.map((c) => c.id)).toEqual(
      calls
        .slice(0, 2)
        .reverse()
        .map((c) => c.id),
    )
    expect(await q((r) => r.calls.listByConversation(newTenant(), conversation.id, { limit: 5 }))).toEqual([])
    // the key belongs to the tenant
    const other = newTenant()
    const seeded = await seedConversation(other)
    await tx((r) =>
      r.calls.insert({ ...calls[0]!, id: one(A.arbitraries.id), tenantId: other, conversationId: seeded.conversation.id, contactId: seeded.contact.id }),
    )
  })
}
