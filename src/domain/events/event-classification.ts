import type { ActivityType } from "../activity/activity-event"
import type { EventSubjectKind } from "./event-envelope"

/**
 * Who may receive an event. `internal` data stays with the tenant's own agents and systems that
 * opted in (note bodies, names, phone numbers, free-text reasons); `shareable` data may go to any
 * subscriber of the tenant.
 *
 * @example
 * ```ts
 * import type { EventVisibility } from "rmc-details/events"
 * const visibility: EventVisibility = "shareable"
 * ```
 */
export type EventVisibility = "internal" | "shareable"

/**
 * How one event type leaves the building: what its subject is, whether the type is `internal`
 * (never sent to a shareable-only audience) or `shareable`, and for a shareable type, the fields
 * of `before`/`after` that a shareable audience may see. Every other field is withheld and named
 * in the envelope's `redacted` list.
 *
 * @example
 * ```ts
 * import type { EventClassification } from "rmc-details/events"
 * const statusOnly: EventClassification = { subject: "conversation", visibility: "shareable", shareableFields: ["status"] }
 * ```
 */
export interface EventClassification {
  readonly subject: EventSubjectKind
  readonly visibility: EventVisibility
  /** Fields of `before` and `after` a shareable audience receives; empty for an internal type. */
  readonly shareableFields: ReadonlyArray<string>
}

const internal = (subject: EventSubjectKind): EventClassification => ({ subject, visibility: "internal", shareableFields: [] })
const shareable = (subject: EventSubjectKind, ...shareableFields: ReadonlyArray<string>): EventClassification => ({
  subject,
  visibility: "shareable",
  shareableFields,
})

/**
 * The classification of every {@link ActivityType}, in one table: a type added to
 * `ActivityType` and left out here does not compile.
 *
 * Notes are internal as a whole (bodies, including deleted ones, never reach a shareable
 * audience). Personal values (a contact's name and details, a called number, a free-text reason)
 * are withheld from the shareable types that carry them: a shareable audience learns that a
 * contact changed and which fields changed, not the values.
 *
 * @example
 * ```ts
 * import { eventClassification } from "rmc-details/events"
 * eventClassification["note.added"].visibility // "internal"
 * eventClassification["conversation.status_changed"].shareableFields // ["status"]
 * ```
 */
export const eventClassification: { readonly [T in ActivityType]: EventClassification } = {
  // Settings hold no personal data: contact types, transitions, policies, region.
  "tenant.configured": shareable("tenant", "defaultRegion", "contactTypes", "transitions", "policies", "version"),
  "contact.created": shareable("contact", "type"),
  // Only personal values change here: a shareable audience sees the changed field names.
  "contact.updated": shareable("contact"),
  "contact.type_changed": shareable("contact", "type"),
  // The erasure's reason is free text an admin wrote: a shareable audience learns only that it happened.
  "contact.erased": shareable("contact"),
  // Ids and counts only: which contacts were merged or split, never what they hold.
  "contact.merged": shareable("contact", "mergeId", "primaryId", "secondaryId", "moved"),
  "contact.unmerged": shareable("contact", "mergeId", "primaryId", "secondaryId", "returned"),
  "conversation.opened": shareable("conversation", "channel", "assigneeId", "departmentId"),
  "conversation.status_changed": shareable("conversation", "status"),
  "conversation.department_changed": shareable("conversation", "departmentId"),
  "conversation.transferred": shareable("conversation", "assigneeId", "departmentId"),
  "conversation.activity_recorded": shareable("conversation", "lastActivityAt"),
  "department.created": shareable("department", "name"),
  "department.renamed": shareable("department", "name"),
  "department.archived": shareable("department", "archivedAt"),
  // Agents' names are personal, and the directory is the tenant's own administration.
  "agent.created": internal("agent"),
  "agent.updated": internal("agent"),
  "agent.deactivated": internal("agent"),
  "note.added": internal("note"),
  "note.edited": internal("note"),
  "note.deleted": internal("note"),
  "keyword.created": shareable("keyword", "name"),
  "keyword.renamed": shareable("keyword", "name"),
  "keyword.archived": shareable("keyword", "archivedAt"),
  "keyword.merged": shareable("keyword", "name", "mergedIntoId", "conversations"),
  "keyword.attached": shareable("conversation", "keywordId"),
  "keyword.detached": shareable("conversation", "keywordId"),
  "label.created": shareable("label", "name", "color"),
  "label.updated": shareable("label", "name", "color", "description"),
  "label.archived": shareable("label", "archivedAt"),
  "label.applied": shareable("conversation", "labelId"),
  "label.removed": shareable("conversation", "labelId"),
  // The dialled number is personal.
  "call.requested": shareable("call", "status"),
  "call.status_changed": shareable("call", "status", "providerCallId", "failureReason", "reportedAt"),
  // The tenant's integrations (their URLs, what they receive) are its own administration.
  "webhook_subscription.created": internal("webhook_subscription"),
  "webhook_subscription.updated": internal("webhook_subscription"),
  "webhook_subscription.secret_rotated": internal("webhook_subscription"),
  "webhook_subscription.deleted": internal("webhook_subscription"),
  "webhook_subscription.disabled": internal("webhook_subscription"),
  "webhook_subscription.replay_requested": internal("webhook_subscription"),
  // Definitions are the tenant's own vocabulary, with no personal value.
  "attribute.defined": shareable("attribute", "key", "label", "type", "target", "options", "required"),
  "attribute.updated": shareable("attribute", "label", "options", "required"),
  "attribute.archived": shareable("attribute", "archivedAt"),
  // Values may be personal (a phone number, an e-mail): a shareable audience sees the changed keys.
  "contact.attributes_changed": shareable("contact"),
  "conversation.attributes_changed": shareable("conversation"),
}
