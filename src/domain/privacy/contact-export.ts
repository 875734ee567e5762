import * as z from "zod"
import { ActivityEvent } from "../activity/activity-event"
import { CallAttempt } from "../call/call-attempt"
import { Contact } from "../contact/contact"
import { ConversationSummary } from "../conversation/conversation"
import { Note } from "../note/note"

/**
 * One record of a contact's data export, tagged by `kind`: the `contact` itself (first), then its
 * `conversation`s (most recent activity first), every `note` about it (on it or on its
 * conversations, deleted ones and earlier bodies included, newest first), its `activity` (every
 * event about it and its conversations, newest first) and its `call` attempts (newest first).
 * An export is this sequence: JSON pages from `exportContact`, or one record per line
 * (`application/x-ndjson`) from the streaming readers.
 *
 * @example
 * ```ts
 * import type { ContactExportRecord } from "rmc-details"
 * const notesOf = (records: ReadonlyArray<ContactExportRecord>) => records.flatMap((r) => (r.kind === "note" ? [r.note] : []))
 * ```
 */
export const ContactExportRecord = z
  .discriminatedUnion("kind", [
    z.object({ kind: z.literal("contact"), contact: Contact }),
    z.object({ kind: z.literal("conversation"), conversation: ConversationSummary }),
    z.object({ kind: z.literal("note"), note: Note }),
    z.object({ kind: z.literal("activity"), event: ActivityEvent }),
    z.object({ kind: z.literal("call"), call: CallAttempt }),
  ])
  .meta({ id: "ContactExportRecord" })
/** @see {@link ContactExportRecord} */
export type ContactExportRecord = z.infer<typeof ContactExportRecord>

/**
 * The kinds of an export's records, in the order the export gives them.
 *
 * @example
 * ```ts
 * import { contactExportKinds } from "rmc-details"
 * contactExportKinds[0] // "contact"
 * ```
 */
export const contactExportKinds = ["contact", "conversation", "note", "activity", "call"] as const satisfies ReadonlyArray<ContactExportRecord["kind"]>

/**
 * Where an export resumes: the kind of records it was reading and the last record read of that
 * kind (its time and id); none for the first page.
 *
 * @example
 * ```ts
 * import type { ExportPosition } from "rmc-details"
 * const atNotes: ExportPosition = { kind: "note" }
 * ```
 */
export interface ExportPosition {
  readonly kind: ContactExportRecord["kind"]
  readonly after?: { readonly at: string; readonly id: string } | undefined
}

const toBase64Url = (value: unknown): string =>
  btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(value))))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replaceAll("=", "")

const ExportCursorTuple = z.union([
  z.tuple([z.literal("export"), z.enum(contactExportKinds)]),
  z.tuple([z.literal("export"), z.enum(contactExportKinds), z.string().max(64), z.string().max(128)]),
])

/**
 * The cursor of an export page that resumes at `position`.
 *
 * @example
 * ```ts
 * import { decodeExportCursor, encodeExportCursor } from "rmc-details"
 * decodeExportCursor(encodeExportCursor({ kind: "note" })) // { kind: "note" }
 * ```
 */
export const encodeExportCursor = (position: ExportPosition): string =>
  toBase64Url(position.after === undefined ? ["export", position.kind] : ["export", position.kind, position.after.at, position.after.id])

/**
 * The position an export cursor resumes at, or `undefined` when it is not an export cursor.
 *
 * @example
 * ```ts
 * import { decodeExportCursor } from "rmc-details"
 * decodeExportCursor("not a cursor") // undefined
 * ```
 */
export const decodeExportCursor = (cursor: string): ExportPosition | undefined => {
  try {
    const binary = atob(cursor.replaceAll("-", "+").replaceAll("_", "/"))
    const parsed = ExportCursorTuple.safeParse(JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)))))
    if (!parsed.success) return undefined
    const [, kind, at, id] = parsed.data
    return at === undefined || id === undefined ? { kind } : { kind, after: { at, id } }
  } catch {
    return undefined
  }
}
