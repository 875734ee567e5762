import { uuidv7 } from "uuidv7"
import type { ActivityType } from "../../../src/domain/activity/activity-event"
import type { EventEnvelope } from "../../../src/domain/events/event-envelope"
import { toEventEnvelope } from "../../../src/domain/events/to-event-envelope"

const types: ReadonlyArray<ActivityType> = ["conversation.opened", "note.added", "label.applied", "conversation.status_changed", "keyword.merged"]

/** How many events the broker tests send: a few hundred in `npm test`, 10,000 in `npm run test:events:heavy`. */
export const eventCount = Number(process.env.RMC_EVENTS_COUNT ?? 300)

/** `count` envelopes of `tenants` tenants (ids with characters a subject cannot hold), interleaved. */
export const sampleEnvelopes = (count: number, tenants = ["acme", "globex.eu", "initech:fr@x"]): Array<EventEnvelope> =>
  Array.from({ length: count }, (_, i) =>
    toEventEnvelope({
      id: uuidv7(),
      tenantId: tenants[i % tenants.length]!,
      type: types[i % types.length]!,
      at: new Date(Date.UTC(2026, 0, 1) + i).toISOString(),
      actorId: "alice",
      actorRole: "agent",
      subjectId: `subject-${i}`,
      conversationId: null,
      contactId: null,
      before: null,
      after: { sequence: i },
    }),
  )

/** The envelopes of each tenant, in the order given. */
export const perTenant = (envelopes: ReadonlyArray<EventEnvelope>): Map<string, Array<string>> => {
  const byTenant = new Map<string, Array<string>>()
  for (const e of envelopes) byTenant.set(e.tenantId, [...(byTenant.get(e.tenantId) ?? []), e.id])
  return byTenant
}

/** Splits a list into batches of `size`. */
export const batches = <A>(items: ReadonlyArray<A>, size: number): Array<Array<A>> =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size))

/** A name nobody else uses, so that parallel runs never share a stream, exchange or queue. */
export const uniqueName = (prefix: string) => `${prefix}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`
