import * as z from "zod"
import { ActivityType } from "../activity/activity-event"
import { EntityId, ExternalId, Timestamp } from "../shared/ids"
import { Role } from "../shared/principal"

/**
 * The version of the {@link EventEnvelope} schema this SDK writes. Adding an optional field or a
 * new event type keeps the version; renaming, removing or retyping a field bumps it, and the
 * envelope of the new version is published beside the old one for a deprecation period.
 *
 * @example
 * ```ts
 * import { eventSchemaVersion } from "rmc-details/events"
 * const supported = (envelope: { schemaVersion: number }) => envelope.schemaVersion === eventSchemaVersion
 * ```
 */
export const eventSchemaVersion = 1 as const

/**
 * Who an envelope was prepared for: `internal` carries every field of the event; `shareable`
 * carries only the fields its type classifies as shareable, and never an internal type.
 *
 * @example
 * ```ts
 * import { EventAudience } from "rmc-details/events"
 * EventAudience.parse("shareable")
 * ```
 */
export const EventAudience = z.enum(["internal", "shareable"]).meta({
  id: "EventAudience",
  description: "`internal`: every field of the event. `shareable`: only the fields classified shareable; internal event types are never sent.",
})
/** @see {@link EventAudience} */
export type EventAudience = z.infer<typeof EventAudience>

/**
 * The kind of record an event is about, named in the envelope's `subject.kind`.
 *
 * @example
 * ```ts
 * import { EventSubjectKind } from "rmc-details/events"
 * EventSubjectKind.parse("conversation")
 * ```
 */
export const EventSubjectKind = z.enum([
  "tenant",
  "contact",
  "conversation",
  "department",
  "note",
  "keyword",
  "label",
  "call",
  "webhook_subscription",
  "attribute",
  "agent",
])
/** @see {@link EventSubjectKind} */
export type EventSubjectKind = z.infer<typeof EventSubjectKind>

const Values = z.record(z.string(), z.unknown()).nullable()

/**
 * An event as it leaves the SDK for a broker or a webhook: self-describing, versioned, with a
 * stable `id` (the activity event's UUIDv7) that every sink and consumer uses to make its effect
 * exactly once.
 *
 * - `subject` is the record the event is about; `conversationId` and `contactId` place it on
 *   the activity timelines.
 * - `data.before`/`data.after` are the values before and after the change, restricted to what
 *   the `audience` may see; `redacted` names the fields withheld from it.
 *
 * @example
 * ```ts
 * import { EventEnvelope } from "rmc-details/events"
 * const envelope = EventEnvelope.parse(JSON.parse(await (await fetch("https://example.com/event")).text()))
 * if (envelope.type === "conversation.status_changed") console.log(envelope.data.after?.status)
 * ```
 */
export const EventEnvelope = z
  .object({
    id: EntityId.meta({ description: "Stable id of the event (UUIDv7): the de-duplication key of every sink and consumer." }),
    schemaVersion: z.literal(eventSchemaVersion).meta({ description: "Version of this envelope schema." }),
    type: ActivityType.meta({ description: "What happened, as `<entity>.<change>`." }),
    tenantId: ExternalId.meta({ description: "The tenant the event belongs to." }),
    occurredAt: Timestamp.meta({ description: "When the change was committed (ISO-8601 UTC, milliseconds)." }),
    actor: z.object({ id: ExternalId, role: Role }).meta({ description: "Who made the change: the agent's id in the embedding product and their role." }),
    subject: z
      .object({
        kind: EventSubjectKind,
        id: z.string(),
      })
      .meta({ description: "The record the event is about." }),
    conversationId: EntityId.nullable().meta({ description: "The conversation whose timeline shows the event, if any." }),
    contactId: EntityId.nullable().meta({ description: "The contact whose timeline shows the event, if any." }),
    audience: EventAudience,
    data: z.object({ before: Values, after: Values }).meta({ description: "Values before and after the change, as far as the audience may see them." }),
    redacted: z.array(z.string()).meta({ description: "Fields of `before`/`after` withheld from this audience (their names only)." }),
  })
  .meta({ id: "EventEnvelope", title: "Event envelope", description: "An rmc-details event, as published to brokers and webhooks." })
/** @see {@link EventEnvelope} */
export type EventEnvelope = z.infer<typeof EventEnvelope>
