import type { Note, NoteSubject } from "../../domain/note/note"
import type { Principal } from "../../domain/shared/principal"

/**
 * A note as first written by `principal`, with no revision yet.
 *
 * @internal
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
