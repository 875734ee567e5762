import type { ActivityEvent } from "./activity-event"

const strip = (values: ActivityEvent["before"]): ActivityEvent["before"] => {
  if (values === null || !("body" in values)) return values
  const { body: _, ...rest } = values
  return rest
}

/**
 * Whether the event is about a note (and so may carry a note's body).
 *
 * @example
 * ```ts
 * import { isNoteEvent, type OutboxEntry } from "rmc-details"
 * const noteIds = (batch: ReadonlyArray<OutboxEntry>) => batch.filter((e) => isNoteEvent(e.event)).map((e) => e.event.subjectId)
 * ```
 */
export const isNoteEvent = (event: ActivityEvent): boolean => event.type.startsWith("note.")

/**
 * The event without the note body it carries (`before.body`, `after.body`): what the outbox serves
 * for every event about a note deleted since, so that neither a publication nor a replay after the
 * deletion carries any revision of its text. The `note.deleted` event on the same note tells a
 * consumer why the body is missing. A store of one's own applies it in `readOutbox` to the events
 * of every note deleted by the time of the read (the `deletedNotes` conformance sub-suite checks it).
 *
 * @example
 * ```ts
 * import { withoutNoteBody, type OutboxEntry } from "rmc-details"
 * const redact = (entry: OutboxEntry, deleted: ReadonlySet<string>): OutboxEntry =>
 *   deleted.has(entry.event.subjectId) ? { ...entry, event: withoutNoteBody(entry.event) } : entry
 * ```
 */
export const withoutNoteBody = (event: ActivityEvent): ActivityEvent =>
  isNoteEvent(event) ? { ...event, before: strip(event.before), after: strip(event.after) } : event
