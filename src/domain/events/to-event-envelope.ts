import type { ActivityEvent } from "../activity/activity-event"
import { eventClassification } from "./event-classification"
import { type EventAudience, type EventEnvelope, eventSchemaVersion } from "./event-envelope"

type Values = Record<string, unknown> | null

const keep = (values: Values, allowed: ReadonlySet<string>, withheld: Set<string>): Values => {
  if (values === null) return null
  const kept: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(values)) {
    if (allowed.has(key)) kept[key] = value
    else withheld.add(key)
  }
  return kept
}

/**
 * Narrows an envelope to an audience. An `internal` envelope stays as it is for an internal
 * audience; for a `shareable` audience, an internal event type gives `undefined` (it is not sent
 * at all) and a shareable one keeps only its shareable fields, naming the others in `redacted`.
 * Narrowing twice gives the same envelope.
 *
 * @example
 * ```ts
 * import { envelopeForAudience, type EventEnvelope } from "rmc-details/events"
 * declare const envelope: EventEnvelope
 * const forPartners = envelopeForAudience(envelope, "shareable") // undefined for a note
 * ```
 */
export const envelopeForAudience = (envelope: EventEnvelope, audience: EventAudience): EventEnvelope | undefined => {
  // Nothing to withhold from an internal audience, and a shareable envelope is narrowed already.
  if (audience === "internal" || envelope.audience === "shareable") return envelope
  const classification = eventClassification[envelope.type]
  if (classification.visibility === "internal") return undefined
  const allowed = new Set(classification.shareableFields)
  const withheld = new Set(envelope.redacted)
  const before = keep(envelope.data.before, allowed, withheld)
  const after = keep(envelope.data.after, allowed, withheld)
  return { ...envelope, audience: "shareable", data: { before, after }, redacted: [...withheld].sort() }
}

/**
 * Turns an activity event into the envelope published for an audience (`internal` by default).
 * For a `shareable` audience, an internal event type (a note) gives `undefined` and personal
 * values are withheld, as {@link eventClassification} says.
 *
 * @example
 * ```ts
 * import type { ActivityEvent } from "rmc-details"
 * import { toEventEnvelope } from "rmc-details/events"
 * declare const event: ActivityEvent
 * const full = toEventEnvelope(event)
 * const shareable = toEventEnvelope(event, "shareable")
 * ```
 */
export function toEventEnvelope(event: ActivityEvent): EventEnvelope
export function toEventEnvelope(event: ActivityEvent, audience: EventAudience): EventEnvelope | undefined
export function toEventEnvelope(event: ActivityEvent, audience: EventAudience = "internal"): EventEnvelope | undefined {
  const envelope: EventEnvelope = {
    id: event.id,
    schemaVersion: eventSchemaVersion,
    type: event.type,
    tenantId: event.tenantId,
    occurredAt: event.at,
    actor: { id: event.actorId, role: event.actorRole },
    subject: { kind: eventClassification[event.type].subject, id: event.subjectId },
    conversationId: event.conversationId,
    contactId: event.contactId,
    audience: "internal",
    data: { before: event.before, after: event.after },
    redacted: [],
  }
  return envelopeForAudience(envelope, audience)
}
