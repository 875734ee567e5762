import type { Conversation } from "../conversation/conversation"
import type { TenantSettings } from "../tenant/tenant-settings"
import { canReadConversation, inAgentsReach, type VisibilityReader } from "./conversation-readers"

/**
 * Which live notes of one subject a principal reads: `all` of them, only their `own`, or `none`
 * (the subject is a conversation the principal does not read).
 *
 * @example
 * ```ts
 * import type { NoteReadScope } from "rmc-details"
 * const scope: NoteReadScope = "own"
 * ```
 */
export type NoteReadScope = "all" | "own" | "none"

/**
 * The live notes of a subject the principal reads under the tenant's visibility rules. Supervisors
 * and admins read all of them. An agent reads: with `notes: "all_agents"`, all of them; with
 * `author_and_supervisors`, their own; with `department`, all the notes of a conversation in their
 * reach (see `inAgentsReach`) and only their own elsewhere, the contact's own notes included
 * (a contact is in no department: a note meant for a department is written on its conversation).
 * A conversation the agent does not read (`visibility.history`) gives `none`.
 *
 * @example
 * ```ts
 * import { defaultTenantSettings, noteReadScope, type Principal } from "rmc-details"
 * const alice: Principal = { tenantId: "acme", agentId: "alice", role: "agent" }
 * const settings = { ...defaultTenantSettings("acme"), visibility: { notes: "author_and_supervisors", history: "all_agents" } } as const
 * noteReadScope(alice, settings, { kind: "contact" }) // "own"
 * ```
 */
export const noteReadScope = (
  principal: VisibilityReader,
  settings: Pick<TenantSettings, "visibility">,
  subject: { readonly kind: "contact" } | { readonly kind: "conversation"; readonly conversation: Pick<Conversation, "departmentId" | "assigneeId"> },
): NoteReadScope => {
  if (principal.role !== "agent") return "all"
  if (subject.kind === "conversation" && !canReadConversation(principal, settings, subject.conversation)) return "none"
  switch (settings.visibility.notes) {
    case "all_agents":
      return "all"
    case "author_and_supervisors":
      return "own"
    case "department":
      return subject.kind === "conversation" && inAgentsReach(principal, subject.conversation) ? "all" : "own"
  }
}
