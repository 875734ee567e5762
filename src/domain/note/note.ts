import * as z from "zod"
import { EntityId, ExternalId, Timestamp } from "../shared/ids"
import { text } from "../shared/text"

/**
 * What a note is written on: a contact, or one conversation.
 *
 * @example
 * ```ts
 * import { NoteSubject } from "rmc-details"
 * NoteSubject.parse({ kind: "contact", id: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11" })
 * ```
 */
export const NoteSubject = z
  .object({
    kind: z.enum(["contact", "conversation"]),
    id: EntityId,
  })
  .meta({ id: "NoteSubject" })
/** @see {@link NoteSubject} */
export type NoteSubject = z.infer<typeof NoteSubject>

/**
 * Body of a note: 1 to 5000 characters once trimmed, on several lines if need be (tabs and line
 * breaks are kept; other control characters are refused).
 *
 * @example
 * ```ts
 * import { NoteBody } from "rmc-details"
 * NoteBody.parse("Call back this afternoon")
 * ```
 */
export const NoteBody = text({ min: 1, max: 5000, multiline: true })

/**
 * An earlier body of an edited note, with who replaced it and when.
 *
 * @example
 * ```ts
 * import type { NoteRevision } from "rmc-details"
 * const line = (r: NoteRevision) => `${r.editedBy} at ${r.editedAt}`
 * ```
 */
export const NoteRevision = z
  .object({
    body: z.string(),
    editedBy: ExternalId,
    editedAt: Timestamp,
  })
  .meta({ id: "NoteRevision" })
/** @see {@link NoteRevision} */
export type NoteRevision = z.infer<typeof NoteRevision>

/**
 * An internal note (remarque) on a contact or a conversation. Strictly internal: no
 * customer-facing projection can hold one. Edited or deleted by its author, a supervisor or an
 * admin; every edit keeps the previous body in `revisions` (oldest first), and a deletion is
 * soft (`deletedAt`), so the history stays readable in the activity log.
 *
 * @example
 * ```ts
 * import type { Note } from "rmc-details"
 * const visible = (n: Note) => n.deletedAt === null
 * ```
 */
export const Note = z
  .object({
    id: EntityId,
    tenantId: ExternalId,
    subject: NoteSubject,
    /** The contact the note is about, also for a note on one of their conversations. */
    contactId: EntityId,
    body: z.string(),
    authorId: ExternalId,
    createdAt: Timestamp,
    editedAt: Timestamp.nullable(),
    deletedAt: Timestamp.nullable(),
    deletedBy: ExternalId.nullable(),
    revisions: z.array(NoteRevision),
    version: z.number().int().positive(),
  })
  .meta({ id: "Note" })
/** @see {@link Note} */
export type Note = z.infer<typeof Note>
