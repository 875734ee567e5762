import * as z from "zod"
import { Channel } from "../contact/channel"
import { EntityId, Timestamp } from "../shared/ids"
import { type Conversation, ConversationStatus } from "./conversation"

/**
 * The customer-facing projection of a conversation: everything the SDK ever allows a customer
 * to see. It is built from the conversation alone (see {@link toCustomerView}), so no note,
 * keyword, label, department, assignee or call can reach it. The schema is strict: an unknown
 * field fails validation instead of slipping through.
 *
 * @example
 * ```ts
 * import { CustomerConversationView } from "rmc-details"
 * CustomerConversationView.shape // { id, channel, status, createdAt, lastActivityAt }
 * ```
 */
export const CustomerConversationView = z
  .strictObject({
    id: EntityId,
    channel: Channel,
    status: ConversationStatus,
    createdAt: Timestamp,
    lastActivityAt: Timestamp,
  })
  .meta({ id: "CustomerConversationView" })
/** @see {@link CustomerConversationView} */
export type CustomerConversationView = z.infer<typeof CustomerConversationView>

/**
 * Projects a conversation for its customer. It takes the conversation only, and copies an
 * allow-list of fields: internal data has no way in.
 *
 * @example
 * ```ts
 * import { toCustomerView, type Conversation } from "rmc-details"
 * declare const conversation: Conversation
 * const view = toCustomerView(conversation)
 * ```
 */
export const toCustomerView = (conversation: Conversation): CustomerConversationView => ({
  id: conversation.id,
  channel: conversation.channel,
  status: conversation.status,
  createdAt: conversation.createdAt,
  lastActivityAt: conversation.lastActivityAt,
})
