import type { AttributeValues } from "../attribute/attribute-definition"
import type { CallAttempt } from "../call/call-attempt"
import type { Contact } from "../contact/contact"
import type { Conversation, ConversationSummary } from "../conversation/conversation"
import type { Department } from "../department/department"
import type { Note } from "../note/note"
import type { Keyword } from "../tagging/keyword"
import type { Label } from "../tagging/label"
import type { TenantSettings } from "../tenant/tenant-settings"

/**
 * Everything a store loads for the Details panel of one conversation, in one read. The
 * `getDetails` use case turns it into {@link ConversationDetails}.
 *
 * `notes` holds the first live (not deleted) notes of the contact and of this conversation, each
 * newest first; `history` the contact's conversations, most recent activity first. Each is cut
 * at the limit the caller asked for (one more than a page: the extra one tells that there is a
 * next page). `recentCalls` holds the conversation's last call attempts, newest first (at most 5).
 *
 * @example
 * ```ts
 * import type { DetailsSnapshot } from "rmc-details"
 * const noteCount = (s: DetailsSnapshot) => s.notes.contact.length + s.notes.conversation.length
 * ```
 */
export interface DetailsSnapshot {
  readonly settings: TenantSettings | null
  readonly conversation: Conversation
  readonly contact: Contact
  readonly department: Department | null
  readonly notes: { readonly contact: ReadonlyArray<Note>; readonly conversation: ReadonlyArray<Note> }
  /**
   * The newest live note of the reading agent on this conversation written since it was last
   * assigned (or opened), or `null`: what the note-before-transfer policies look for.
   */
  readonly viewerNote: Note | null
  readonly keywords: ReadonlyArray<Keyword>
  readonly labels: ReadonlyArray<Label>
  readonly history: ReadonlyArray<ConversationSummary>
  readonly recentCalls: ReadonlyArray<CallAttempt>
  /** The custom attribute values of the contact and of the conversation, by key. */
  readonly attributes: { readonly contact: AttributeValues; readonly conversation: AttributeValues }
}
