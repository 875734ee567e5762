import type { Conversation } from "../conversation/conversation"
import type { Note } from "../note/note"
import type { TenantSettings } from "../tenant/tenant-settings"
import type { VisibilityReader } from "./conversation-readers"
import { noteReadScope } from "./note-read-scope"

/**
 * Whether the principal reads the note's text. A deleted note (its last text and its earlier
 * revisions) reaches supervisors and admins only; a live note follows {@link noteReadScope} for its
 * subject. `conversation` is the note's conversation, `null` for a note on a contact.
 *
 * @example
 * ```ts
 * import { canReadNote, defaultTenantSettings, type Note, type Principal } from "rmc-details"
 * declare const note: Note
 * const alice: Principal = { tenantId: "acme", agentId: "alice", role: "agent" }
 * canReadNote(alice, defaultTenantSettings("acme"), note, null)
 * ```
 */
export const canReadNote = (
  principal: VisibilityReader,
  settings: Pick<TenantSettings, "visibility">,
  note: Pick<Note, "authorId" | "deletedAt">,
  conversation: Pick<Conversation, "departmentId" | "assigneeId"> | null,
): boolean => {
  if (note.deletedAt !== null) return principal.role !== "agent"
  const scope = noteReadScope(principal, settings, conversation === null ? { kind: "contact" } : { kind: "conversation", conversation })
  return scope === "all" || (scope === "own" && note.authorId === principal.agentId)
}
