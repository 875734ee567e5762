import type { Note, NoteSubject } from "../../domain/note/note"
import type { Principal } from "../../domain/shared/principal"

/**
 * A note as first written by `principal`, with no revision yet.
 *
 * @example
 * ```ts
 * import { newNote } from "rmc-details"
 * newNote({ tenantId: "acme", agentId: "alice", role: "agent" }, {
 *   id: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c12", subject: { kind: "contact", id: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11" },
 *   contactId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11", body: "Prefers e-mail", at: "2026-01-01T10:00:00.000Z" })
 * ```
 */
export const newNote = (
  principal: Principal,
  fields: { readonly id: string; readonly subject: NoteSubject; readonly contactId: string; readonly body: string; readonly at: string },
): Note => ({
  id: fields.id,
  tenantId: principal.tenantId,
  subject: { kind: fields.subject.kind, id: fields.subject.id },
  contactId: fields.contactId,
  body: fields.body,
  authorId: principal.agentId,
  createdAt: fields.at,
  editedAt: null,
  deletedAt: null,
  deletedBy: null,
  revisions: [],
  version: 1,
})
