import * as z from "zod"
import { Channel } from "../contact/channel"
import { EntityId, ExternalId, Timestamp } from "../shared/ids"

/**
 * Where a conversation stands: `open` (being worked), `pending` (waiting on the customer or a
 * third party), `resolved`.
 *
 * @example
 * ```ts
 * import { ConversationStatus } from "rmc-details"
 * ConversationStatus.parse("pending")
 * ```
 */
export const ConversationStatus = z.enum(["open", "pending", "resolved"]).meta({ id: "ConversationStatus" })
/** @see {@link ConversationStatus} */
export type ConversationStatus = z.infer<typeof ConversationStatus>

/**
 * A conversation with a contact on one channel. `version` grows by one on every change of the
 * conversation's own fields (status, assignee, department, activity) and guards them with
 * optimistic concurrency. Keywords and labels are attached one at a time and never bump it, so
 * that two agents tagging at once never conflict.
 *
 * @example
 * ```ts
 * import type { Conversation } from "rmc-details"
 * const isMine = (c: Conversation, agentId: string) => c.assigneeId === agentId
 * ```
 */
export const Conversation = z
  .object({
    id: EntityId,
    tenantId: ExternalId,
    contactId: EntityId,
    channel: Channel,
    status: ConversationStatus,
    assigneeId: ExternalId.nullable(),
    departmentId: EntityId.nullable(),
    createdAt: Timestamp,
    lastActivityAt: Timestamp,
    /** When the current assignee received it: the "note before transfer" policy counts from here. */
    assignedAt: Timestamp.nullable(),
    version: z.number().int().positive(),
  })
  .meta({ id: "Conversation" })
/** @see {@link Conversation} */
export type Conversation = z.infer<typeof Conversation>

/**
 * A label as shown next to a conversation: id, name and colour.
 *
 * @example
 * ```ts
 * import { LabelChip } from "rmc-details"
 * LabelChip.parse({ id: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11", name: "Hot prospect", color: "#e11d48" })
 * ```
 */
export const LabelChip = z.object({ id: EntityId, name: z.string(), color: z.string() })
/** @see {@link LabelChip} */
export type LabelChip = z.infer<typeof LabelChip>

/**
 * A line of a conversation list ("User conversations", search results): channel, status,
 * department and labels of one conversation.
 *
 * @example
 * ```ts
 * import type { ConversationSummary } from "rmc-details"
 * const line = (s: ConversationSummary) => `${s.channel} · ${s.status}`
 * ```
 */
export const ConversationSummary = z
  .object({
    id: EntityId,
    contactId: EntityId,
    channel: Channel,
    status: ConversationStatus,
    assigneeId: ExternalId.nullable(),
    departmentId: EntityId.nullable(),
    departmentName: z.string().nullable(),
    labels: z.array(LabelChip),
    createdAt: Timestamp,
    lastActivityAt: Timestamp,
  })
  .meta({ id: "ConversationSummary" })
/** @see {@link ConversationSummary} */
export type ConversationSummary = z.infer<typeof ConversationSummary>
