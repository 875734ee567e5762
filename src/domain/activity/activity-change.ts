import type { ActivityType } from "./activity-event"

/**
 * What a change records in the activity log, before the SDK stamps it with an id, the actor and
 * the time: the kind of change, the record it is about, the timelines it belongs on, and the
 * values before and after where they apply.
 *
 * @example
 * ```ts
 * import type { ActivityChange } from "rmc-details"
 * const change: ActivityChange = { type: "note.deleted", subjectId: "n-1", conversationId: null, contactId: "c-1", before: { body: "Hi" } }
 * ```
 */
export interface ActivityChange {
  readonly type: ActivityType
  readonly subjectId: string
  readonly conversationId: string | null
  readonly contactId: string | null
  readonly before?: Record<string, unknown> | null
  readonly after?: Record<string, unknown> | null
}
