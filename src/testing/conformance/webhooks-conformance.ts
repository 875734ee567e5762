import { Effect } from "effect"
import { expect, it } from "vitest"
import { VersionConflictError } from "../../domain/shared/errors"
import type { StoredWebhookDeadLetter, StoredWebhookSubscription } from "../../domain/webhooks/webhook-subscription"
import * as A from "../arbitraries/entities"
import { at, conformanceKit, newTenant, one } from "./conformance-kit"
import type { StorageSubSuite } from "./storage-sub-suite"

const uuid = (n: number) => `0193a4f2-5d1c-7c3e-9a41-${n.toString(16).padStart(12, "0")}`

const subscription = (tenantId: string, n: number, overrides: Partial<StoredWebhookSubscription> = {}): StoredWebhookSubscription => ({
  id: uuid(n),
  tenantId,
  url: `https://hooks.example.com/${n}`,
  description: n % 2 === 0 ? null : `endpoint ${n}`,
  eventTypes: n % 2 === 0 ? null : ["note.added", "conversation.status_changed"],
  includeInternal: n % 2 === 1,
  enabled: true,
  disabledReason: null,
  disabledAt: null,
  consecutiveDeadLetters: 0,
  failingSince: null,
  previousSecretExpiresAt: null,
  version: 1,
  createdAt: at(n),
  updatedAt: at(n),
  secret: `whsec_${"A".repeat(42)}${n}`,
  previousSecret: null,
  ...overrides,
})

const deadLetter = (s: StoredWebhookSubscription, n: number, minute: number): StoredWebhookDeadLetter => {
  const event = { ...one(A.activityEvent(s.tenantId, null, null)), id: uuid(1000 + n) }
  return {
    id: uuid(2000 + n),
    tenantId: s.tenantId,
    subscriptionId: s.id,
    eventId: event.id,
    eventType: event.type,
    attempts: n,
    lastError: `HTTP 50${n % 10}`,
    deadLetteredAt: at(minute),
    event,
  }
}

/**
 * The `webhooks` sub-suite of the storage conformance suite.
 * Webhook subscriptions with their secrets, their delivery state apart from the versioned fields,
 * dead letters, and tenant isolation of both.
 *
 * @example
 * ```ts
 * import { memoryStorage } from "rmc-details"
 * import { describeStorageConformance } from "rmc-details/testing"
 * describeStorageConformance("memory", memoryStorage(), { only: ["webhooks"] })
 * ```
 */
export const webhooksConformance: StorageSubSuite = (storage) => {
  const { tx, q, txFailure } = conformanceKit(storage)

  it("store subscriptions with their secrets, list them newest first in pages, and keep tenants apart", async () => {
    const tenantId = newTenant()
    const other = newTenant()
    const subs = [1, 2, 3, 4].map((n) => subscription(tenantId, n, n === 3 ? { enabled: false, disabledReason: "manual", disabledAt: at(9) } : {}))
    await tx((r) => Effect.forEach([...subs, subscription(other, 5)], (s) => r.webhooks.insert(s)))
    expect(await q((r) => r.webhooks.get(tenantId, subs[0]!.id))).toEqual(subs[0])
    expect(await q((r) => r.webhooks.get(tenantId, subs[2]!.id))).toEqual(subs[2])
    expect(await q((r) => r.webhooks.get(other, subs[0]!.id))).toBeNull()
    const first = await q((r) => r.webhooks.list(tenantId, { limit: 3 }))
    expect(first.map((s) => s.id)).toEqual([subs[3]!.id, subs[2]!.id, subs[1]!.id])
    const rest = await q((r) => r.webhooks.list(tenantId, { limit: 3, after: { at: subs[1]!.createdAt, id: subs[1]!.id } }))
    expect(rest).toEqual([subs[0]])
    expect((await q((r) => r.webhooks.listEnabled(tenantId))).map((s) => s.id)).toEqual([subs[0]!.id, subs[1]!.id, subs[3]!.id])
    expect((await q((r) => r.webhooks.listEnabled(other))).map((s) => s.id)).toEqual([uuid(5)])
  })

  it("update with optimistic concurrency, and never overwrite the delivery state", async () => {
    const tenantId = newTenant()
    const s = subscription(tenantId, 7)
    await tx((r) => r.webhooks.insert(s))
    expect(await tx((r) => r.webhooks.setDeliveryState(tenantId, s.id, { consecutiveDeadLetters: 3, failingSince: at(20) }))).toBe(true)
    const next = {
      ...s,
      url: "https://hooks.example.com/moved",
      previousSecret: s.secret,
      secret: `whsec_${"B".repeat(43)}`,
      previousSecretExpiresAt: at(50),
      version: 2,
      updatedAt: at(21),
    }
    await tx((r) => r.webhooks.update(next))
    expect(await q((r) => r.webhooks.get(tenantId, s.id))).toEqual({ ...next, consecutiveDeadLetters: 3, failingSince: at(20) })
    expect(await txFailure((r) => r.webhooks.update({ ...next, url: "https://stale.example.com" }))).toBeInstanceOf(VersionConflictError)
    expect((await q((r) => r.webhooks.get(tenantId, s.id)))?.url).toBe("https://hooks.example.com/moved")
    expect(await tx((r) => r.webhooks.setDeliveryState(newTenant(), s.id, { consecutiveDeadLetters: 0, failingSince: null }))).toBe(false)
    expect(await tx((r) => r.webhooks.setDeliveryState(tenantId, s.id, { consecutiveDeadLetters: 0, failingSince: null }))).toBe(true)
    expect(await q((r) => r.webhooks.get(tenantId, s.id))).toMatchObject({ consecutiveDeadLetters: 0, failingSince: null, version: 2 })
  })

  it("keep dead letters per subscription, one per event, newest first, and replay order oldest first", async () => {
    const tenantId = newTenant()
    const s = subscription(tenantId, 1)
    const t = subscription(tenantId, 2)
    await tx((r) => Effect.andThen(r.webhooks.insert(s), r.webhooks.insert(t)))
    const letters = [deadLetter(s, 1, 10), deadLetter(s, 2, 12), deadLetter(s, 3, 11), deadLetter(t, 4, 10)]
    await tx((r) => Effect.forEach(letters, (d) => r.webhooks.putDeadLetter(d)))
    expect((await q((r) => r.webhooks.listDeadLetters(tenantId, s.id, { limit: 10 }))).map((d) => d.id)).toEqual([
      letters[1]!.id,
      letters[2]!.id,
      letters[0]!.id,
    ])
    expect(await q((r) => r.webhooks.listDeadLetters(tenantId, s.id, { limit: 1, after: { at: letters[2]!.deadLetteredAt, id: letters[2]!.id } }))).toEqual([
      letters[0],
    ])
    expect((await q((r) => r.webhooks.deadLettersUntil(tenantId, s.id, at(11), 10))).map((d) => d.id)).toEqual([letters[0]!.id, letters[2]!.id])
    expect((await q((r) => r.webhooks.deadLettersUntil(tenantId, s.id, at(30), 1))).map((d) => d.id)).toEqual([letters[0]!.id])
    // The same event again: the first letter's id stays, the rest is replaced.
    const again = { ...letters[0]!, id: uuid(3000), attempts: 9, lastError: "network: ECONNRESET", deadLetteredAt: at(40) }
    await tx((r) => r.webhooks.putDeadLetter(again))
    expect(await q((r) => r.webhooks.getDeadLetter(tenantId, letters[0]!.id))).toEqual({ ...again, id: letters[0]!.id })
    expect(await q((r) => r.webhooks.getDeadLetter(tenantId, uuid(3000)))).toBeNull()
    expect(await q((r) => r.webhooks.listDeadLetters(tenantId, s.id, { limit: 10 }))).toHaveLength(3)
    // Another tenant sees none of them.
    expect(await q((r) => r.webhooks.getDeadLetter(newTenant(), letters[0]!.id))).toBeNull()
    expect(await q((r) => r.webhooks.listDeadLetters(newTenant(), s.id, { limit: 10 }))).toEqual([])
    expect(await tx((r) => r.webhooks.deleteDeadLetter(newTenant(), letters[1]!.id))).toBe(false)
    expect(await tx((r) => r.webhooks.deleteDeadLetter(tenantId, letters[1]!.id))).toBe(true)
    expect(await tx((r) => r.webhooks.deleteDeadLetter(tenantId, letters[1]!.id))).toBe(false)
    expect(await q((r) => r.webhooks.listDeadLetters(tenantId, s.id, { limit: 10 }))).toHaveLength(2)
  })

  it("delete a subscription with its dead letters, and only the tenant's", async () => {
    const tenantId = newTenant()
    const s = subscription(tenantId, 1)
    const t = subscription(tenantId, 2)
    await tx((r) => Effect.andThen(r.webhooks.insert(s), r.webhooks.insert(t)))
    const mine = deadLetter(s, 1, 10)
    const theirs = deadLetter(t, 2, 10)
    await tx((r) => Effect.andThen(r.webhooks.putDeadLetter(mine), r.webhooks.putDeadLetter(theirs)))
    expect(await tx((r) => r.webhooks.delete(newTenant(), s.id))).toBe(false)
    expect(await tx((r) => r.webhooks.delete(tenantId, s.id))).toBe(true)
    expect(await q((r) => r.webhooks.get(tenantId, s.id))).toBeNull()
    expect(await q((r) => r.webhooks.getDeadLetter(tenantId, mine.id))).toBeNull()
    expect(await q((r) => r.webhooks.getDeadLetter(tenantId, theirs.id))).toEqual(theirs)
    expect(await tx((r) => r.webhooks.delete(tenantId, s.id))).toBe(false)
  })

  it("write nothing of a failed transaction", async () => {
    const tenantId = newTenant()
    const s = subscription(tenantId, 1)
    await txFailure((r) => Effect.andThen(r.webhooks.insert(s), Effect.fail(new Error("abort"))))
    expect(await q((r) => r.webhooks.get(tenantId, s.id))).toBeNull()
  })
}
