import type { ActivityEvent } from "./activity-event"

const strip = (values: ActivityEvent["before"]): ActivityEvent["before"] => {
  if (values === null || !("body" in values)) return values
  const { body: _, ...rest } = values
  return rest
}

/** Whether the event is about a note (and so may carry a note's body). */
export const isNoteEvent = (event: ActivityEvent): boolean => event.type.startsWith("note.")

/**
 * The event without the note body it carries (`before.body`, `after.body`): what the outbox serves
 * for every event about a note deleted since, so that neither a publication nor a replay after the
 * deletion carries any revision of its text. The `note.deleted` event on the same note tells a
 * consumer why the body is missing.
 */
export const withoutNoteBody = (event: ActivityEvent): ActivityEvent =>
  isNoteEvent(event) ? { ...event, before: strip(event.before), after: strip(event.after) } : event
