import type { ActivityType } from "../activity/activity-event"
import type { Transition } from "../shared/transition"
import { changedTo, unchanged } from "../shared/transition"

/**
 * What archiving a catalog record (department, keyword, label) at `at` does: a live record is
 * archived and the event `eventType` records when; an archived one stays as it is.
 *
 * @example
 * ```ts
 * import { catalogArchiveTransition, type Label } from "rmc-details"
 * declare const label: Label
 * const t = catalogArchiveTransition(label, "2026-01-01T00:00:00.000Z", "label.archived")
 * ```
 */
export const catalogArchiveTransition = <R extends { readonly id: string; readonly archivedAt: string | null }>(
  record: R,
  at: string,
  eventType: ActivityType,
): Transition<R> =>
  record.archivedAt !== null
    ? unchanged
    : changedTo({ ...record, archivedAt: at }, { type: eventType, subjectId: record.id, conversationId: null, contactId: null, after: { archivedAt: at } })
