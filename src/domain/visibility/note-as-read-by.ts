import type { Note } from "../note/note"
import type { VisibilityReader } from "./conversation-readers"

/**
 * The note as the reader receives it on a read path (the Details panel, `listNotes`, `getNote`):
 * an agent gets its current text without its earlier revisions, an audit trail that reaches
 * supervisors and admins only.
 *
 * @example
 * ```ts
 * import { noteAsReadBy, type Note, type Principal } from "rmc-details"
 * declare const note: Note
 * const alice: Principal = { tenantId: "acme", agentId: "alice", role: "agent" }
 * noteAsReadBy(alice, note).revisions // []
 * ```
 */
export const noteAsReadBy = (reader: Pick<VisibilityReader, "role">, note: Note): Note =>
  reader.role === "agent" && note.revisions.length > 0 ? { ...note, revisions: [] } : note
