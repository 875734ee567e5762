import * as z from "zod"
import { EntityId, ExternalId, Timestamp } from "../shared/ids"
import { Role } from "../shared/principal"

/**
 * Every kind of change the SDK records. One event per change, written in the same transaction
 * as the change itself.
 *
 * @example
 * ```ts
 * import { ActivityType } from "rmc-details"
 * ActivityType.parse("note.added")
 * ```
 */
export const ActivityType = z.enum([
  "tenant.configured",
  "contact.created",
  "contact.updated",
  "contact.type_changed",
  "contact.erased",
  "contact.merged",
  "contact.unmerged",
  "conversation.opened",
  "conversation.status_changed",
  "conversation.department_changed",
  "conversation.transferred",
  "conversation.activity_recorded",
  "department.created",
  "department.renamed",
  "department.archived",
  "agent.created",
  "agent.updated",
  "agent.deactivated",
  "note.added",
  "note.edited",
  "note.deleted",
  "keyword.created",
  "keyword.renamed",
  "keyword.archived",
  "keyword.merged",
  "keyword.attached",
  "keyword.detached",
  "label.created",
  "label.updated",
  "label.archived",
  "label.applied",
  "label.removed",
  "call.requested",
  "call.status_changed",
  "webhook_subscription.created",
  "webhook_subscription.updated",
  "webhook_subscription.secret_rotated",
  "webhook_subscription.deleted",
  "webhook_subscription.disabled",
  "webhook_subscription.replay_requested",
  "attribute.defined",
  "attribute.updated",
  "attribute.archived",
  "contact.attributes_changed",
  "conversation.attributes_changed",
])
/** @see {@link ActivityType} */
export type ActivityType = z.infer<typeof ActivityType>

/**
 * A domain event: who did what, when, to which record, with the values before and after where
 * they apply. `conversationId` and `contactId` place it on the activity timelines.
 *
 * @example
 * ```ts
 * import type { ActivityEvent } from "rmc-details"
 * const line = (e: ActivityEvent) => `${e.at} ${e.actorId} ${e.type}`
 * ```
 */
export const ActivityEvent = z
  .object({
    id: EntityId,
    tenantId: ExternalId,
    type: ActivityType,
    at: Timestamp,
    actorId: ExternalId,
    actorRole: Role,
    /** The record the event is about (a note, a keyword, a call...). */
    subjectId: z.string(),
    conversationId: EntityId.nullable(),
    contactId: EntityId.nullable(),
    before: z.record(z.string(), z.unknown()).nullable(),
    after: z.record(z.string(), z.unknown()).nullable(),
  })
  .meta({ id: "ActivityEvent" })
/** @see {@link ActivityEvent} */
export type ActivityEvent = z.infer<typeof ActivityEvent>

/**
 * An event as the transactional outbox serves it to a relay: with its position, a number unique
 * to the event that a reader passes back to read on after it (its checkpoint). Entries come in
 * outbox order (see `docs/events.md`): a transaction's events in the order they were appended, and
 * after those of every transaction that committed before it began writing. Positions grow within a
 * transaction; across transactions they grow in outbox order on SQLite, MySQL/MariaDB and the
 * memory store, not always on PostgreSQL, where the order is the transactions' ids.
 *
 * @example
 * ```ts
 * import type { OutboxEntry } from "rmc-details"
 * const next = (batch: ReadonlyArray<OutboxEntry>) => batch.at(-1)?.position
 * ```
 */
export interface OutboxEntry {
  readonly position: number
  readonly event: ActivityEvent
}
