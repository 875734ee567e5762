import fc from "fast-check"
import { expect, it } from "vitest"
import type { ActivityEvent } from "../../domain/activity/activity-event"
import * as A from "../arbitraries/entities"
import { conformanceKit, one, newTenant, at } from "./conformance-kit"
import type { StorageSubSuite } from "./storage-sub-suite"

/**
 * The `activityAndOutbox` sub-suite of the storage conformance suite.
 * Activity events per conversation and per contact, newest first, and the outbox in commit order.
 *
 * @example
 * ```ts
 * import { memoryStorage } from "rmc-details"
 * import { describeStorageConformance } from "rmc-details/testing"
 * describeStorageConformance("memory", memoryStorage(), { only: ["activityAndOutbox"] })
 * ```
 */
export const activityAndOutboxConformance: StorageSubSuite = (storage) => {
  const { tx, q, seedConversation } = conformanceKit(storage)

  it("lists events per conversation and per contact, newest first, and publishes them in commit order", async () => {
    const tenantId = newTenant()
    const { contact, conversation } = await seedConversation(tenantId)
    const events: Array<ActivityEvent> = fc.sample(A.activityEvent(tenantId, conversation.id, contact.id), 5).map((e, i) => ({ ...e, at: at(i) }))
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
}
