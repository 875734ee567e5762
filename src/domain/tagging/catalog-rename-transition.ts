import type { ActivityType } from "../activity/activity-event"
import type { Transition } from "../shared/transition"
import { changedTo, unchanged } from "../shared/transition"

/**
 * What renaming a catalog record (department, keyword) to `name` does, once the name was found
 * free: the record takes the name and its normalised form `normalizedName`, and the event
 * `eventType` records the name before and after; the name it already has changes nothing.
 * Catalog records carry no version.
 *
 * @example
 * ```ts
 * import { catalogRenameTransition, normalizeName, type Keyword } from "rmc-details"
 * declare const keyword: Keyword
 * const t = catalogRenameTransition(keyword, "Billing", normalizeName("Billing"), "keyword.renamed")
 * ```
 */
export const catalogRenameTransition = <R extends { readonly id: string; readonly name: string; readonly normalizedName: string }>(
  record: R,
  name: string,
  normalizedName: string,
  eventType: ActivityType,
): Transition<R> =>
  record.name === name
    ? unchanged
    : changedTo(
        { ...record, name, normalizedName },
        { type: eventType, subjectId: record.id, conversationId: null, contactId: null, before: { name: record.name }, after: { name } },
      )
