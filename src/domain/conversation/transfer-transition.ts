import type { Transition } from "../shared/transition"
import { changedTo, unchanged } from "../shared/transition"
import type { Conversation } from "./conversation"

/**
 * What a transfer does once its target is settled: `toAgentId` (when given) becomes the assignee,
 * from `at` on (so the "note before transfer" policy counts from then), and `departmentId` the
 * department. A transfer that moves neither changes nothing; otherwise the conversation takes the
 * next version and the event records assignee and department before and after, the note given
 * with the transfer, and the department asked for when the tenant's rules sent it elsewhere.
 *
 * @example
 * ```ts
 * import { transferTransition, type Conversation } from "rmc-details"
 * declare const conversation: Conversation
 * const t = transferTransition(conversation, { toAgentId: "bob", departmentId: conversation.departmentId, noteId: null, at: "2026-01-01T00:00:00.000Z" })
 * ```
 */
export const transferTransition = (
  conversation: Conversation,
  transfer: {
    readonly toAgentId?: string | undefined
    readonly departmentId: string | null
    readonly noteId: string | null
    /** Set when the tenant's rules sent the conversation to another department than the one asked for. */
    readonly requestedDepartmentId?: string | undefined
    readonly at: string
  },
): Transition<Conversation> => {
  const assigneeId = transfer.toAgentId ?? conversation.assigneeId
  const reassigned = assigneeId !== conversation.assigneeId
  const { departmentId } = transfer
  if (!reassigned && departmentId === conversation.departmentId) return unchanged
  return changedTo(
    { ...conversation, assigneeId, departmentId, assignedAt: reassigned ? transfer.at : conversation.assignedAt, version: conversation.version + 1 },
    {
      type: "conversation.transferred",
      subjectId: conversation.id,
      conversationId: conversation.id,
      contactId: conversation.contactId,
      before: { assigneeId: conversation.assigneeId, departmentId: conversation.departmentId },
      after: {
        assigneeId,
        departmentId,
        noteId: transfer.noteId,
        ...(transfer.requestedDepartmentId !== undefined && { requestedDepartmentId: transfer.requestedDepartmentId }),
      },
    },
  )
}
