import type { Note } from "./note"

/**
 * The conversation a note is written on, or `null` for a note on the contact: the conversation
 * timeline its events belong on.
 *
 * @example
 * ```ts
 * import { noteConversationId, type Note } from "rmc-details"
 * declare const note: Note
 * const onTimeline = noteConversationId(note) !== null
 * ```
 */
export const noteConversationId = (note: Pick<Note, "subject">): string | null => (note.subject.kind === "conversation" ? note.subject.id : null)
