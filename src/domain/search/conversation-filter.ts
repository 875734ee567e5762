import * as z from "zod"
import { Channel } from "../contact/channel"
import { ConversationStatus } from "../conversation/conversation"
import { EntityId, TimestampInput } from "../shared/ids"
import { ContactTypeName } from "../tenant/tenant-settings"
import { AttributeCondition } from "./attribute-condition"

/**
 * Criteria of a conversation search; every given criterion must hold. `keywords.anyOf` matches a
 * conversation with at least one of the keywords, `keywords.allOf` one with all of them; the same
 * for labels. `departmentIds`, `channels`, `status` and `contactTypes` match a conversation with
 * one of the values. A list given empty is taken literally: an empty "one of" list (`anyOf`,
 * `departmentIds`, `channels`, `status`, `contactTypes`) matches nothing, an empty `allOf`
 * restricts nothing; leave a criterion out not to restrict by it. `from` (inclusive) and `to`
 * (exclusive) bound the conversation's creation time. Each of `attributes` (see
 * {@link AttributeCondition}) must hold too. Unknown fields are refused.
 *
 * @example
 * ```ts
 * import { ConversationFilter } from "rmc-details"
 * ConversationFilter.parse({ status: ["open"], channels: ["whatsapp", "sms"] })
 * ```
 */
export const ConversationFilter = z.strictObject({
  keywords: z
    .strictObject({
      anyOf: z.array(EntityId).max(50).optional(),
      allOf: z.array(EntityId).max(50).optional(),
    })
    .optional(),
  labels: z
    .strictObject({
      anyOf: z.array(EntityId).max(50).optional(),
      allOf: z.array(EntityId).max(50).optional(),
    })
    .optional(),
  departmentIds: z.array(EntityId).max(50).optional(),
  channels: z.array(Channel).max(8).optional(),
  status: z.array(ConversationStatus).max(3).optional(),
  contactTypes: z.array(ContactTypeName).max(50).optional(),
  contactId: EntityId.optional(),
  from: TimestampInput.optional(),
  to: TimestampInput.optional(),
  attributes: z.array(AttributeCondition).max(10).optional(),
})
/** @see {@link ConversationFilter} */
export type ConversationFilter = z.infer<typeof ConversationFilter>
