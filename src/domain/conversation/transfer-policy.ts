import type { Note } from "../note/note"
import type { TenantSettings } from "../tenant/tenant-settings"
import type { Conversation } from "./conversation"

/**
 * Whether the tenant's "a note is required before a transfer" policy lets `agentId` transfer the
 * conversation now. The policy follows the guide's good practice: whoever hands a conversation
 * over leaves context for the next agent, so the note must be written by the transferring agent,
 * on this conversation, since it was last assigned (or opened), and must not be deleted.
 *
 * @example
 * ```ts
 * import { defaultTenantSettings, transferAllowedByPolicy } from "rmc-details"
 * declare const conversation: import("rmc-details").Conversation
 * transferAllowedByPolicy(defaultTenantSettings("acme"), conversation, [], "alice") // true: policy off by default
 * ```
 */
export const transferAllowedByPolicy = (
  settings: Pick<TenantSettings, "policies">,
  conversation: Pick<Conversation, "id" | "createdAt" | "assignedAt">,
  conversationNotes: ReadonlyArray<Pick<Note, "subject" | "authorId" | "createdAt" | "deletedAt">>,
  agentId: string,
): boolean => !settings.policies.noteBeforeTransfer || wroteHandoverNote(conversation, conversationNotes, agentId)

/**
 * Whether the tenant's "a note is required before a department change" policy lets `agentId` move
 * the conversation to another department (or out of one) now: the same note as before a transfer
 * (see {@link transferAllowedByPolicy}). Settings stored before the policy existed leave it off.
 *
 * @example
 * ```ts
 * import { defaultTenantSettings, departmentChangeAllowedByPolicy } from "rmc-details"
 * declare const conversation: import("rmc-details").Conversation
 * departmentChangeAllowedByPolicy(defaultTenantSettings("acme"), conversation, [], "alice") // true: policy off by default
 * ```
 */
export const departmentChangeAllowedByPolicy = (
  settings: Pick<TenantSettings, "policies">,
  conversation: Pick<Conversation, "id" | "createdAt" | "assignedAt">,
  conversationNotes: ReadonlyArray<Pick<Note, "subject" | "authorId" | "createdAt" | "deletedAt">>,
  agentId: string,
): boolean => settings.policies.noteBeforeDepartmentChange !== true || wroteHandoverNote(conversation, conversationNotes, agentId)

const wroteHandoverNote = (
  conversation: Pick<Conversation, "id" | "createdAt" | "assignedAt">,
  conversationNotes: ReadonlyArray<Pick<Note, "subject" | "authorId" | "createdAt" | "deletedAt">>,
  agentId: string,
): boolean => {
  const since = conversation.assignedAt ?? conversation.createdAt
  return conversationNotes.some(
    (note) =>
      note.subject.kind === "conversation" &&
      note.subject.id === conversation.id &&
      note.authorId === agentId &&
      note.deletedAt === null &&
      note.createdAt >= since,
  )
}
