import * as z from "zod"
import { AttributeValues } from "../attribute/attribute-definition"
import { CallAttempt } from "../call/call-attempt"
import { Contact } from "../contact/contact"
import { Conversation, ConversationSummary } from "../conversation/conversation"
import { Department } from "../department/department"
import { Note } from "../note/note"
import { pageOf } from "../shared/page"
import { Keyword } from "../tagging/keyword"
import { Label } from "../tagging/label"
import { AvailableAction } from "./available-action"
import { DetailsRouting } from "./details-routing"

/**
 * The Details panel in one value: contact information, the conversation and its department,
 * the first page of the notes of the contact and of the conversation (newest first; `listNotes`
 * with the page's `nextCursor` reads on), keywords, labels, recent calls, the actions available
 * to the principal, where the conversation may be transferred (see {@link DetailsRouting}), the
 * first page of the contact's conversations, and the custom attribute values of the contact and of
 * the conversation.
 *
 * @example
 * ```ts
 * import type { ConversationDetails } from "rmc-details"
 * const canCall = (d: ConversationDetails) => d.actions.find((a) => a.name === "call")?.enabled
 * ```
 */
export const ConversationDetails = z
  .object({
    contact: Contact,
    conversation: Conversation,
    department: Department.nullable(),
    notes: z.object({ contact: pageOf(Note), conversation: pageOf(Note) }),
    keywords: z.array(Keyword),
    labels: z.array(Label),
    recentCalls: z.array(CallAttempt),
    actions: z.array(AvailableAction),
    routing: DetailsRouting,
    conversations: pageOf(ConversationSummary),
    attributes: z.object({ contact: AttributeValues, conversation: AttributeValues }),
  })
  .meta({ id: "ConversationDetails" })
/** @see {@link ConversationDetails} */
export type ConversationDetails = z.infer<typeof ConversationDetails>
