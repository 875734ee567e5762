import type { Transition } from "../shared/transition"
import { changedTo, unchanged } from "../shared/transition"
import type { Conversation } from "./conversation"

/**
 * What moving a conversation to department `departmentId` (or out of any, with `null`) does, once
 * the tenant's rules chose that department: another department takes the next version and records
 * both; the department it already has changes nothing. The assignee stays.
 *
 * @example
 * ```ts
 * import { departmentChangeTransition, type Conversation } from "rmc-details"
 * declare const conversation: Conversation
 * const t = departmentChangeTransition(conversation, null)
 * ```
 */
export const departmentChangeTransition = (conversation: Conversation, departmentId: string | null): Transition<Conversation> =>
  conversation.departmentId === departmentId
    ? unchanged
    : changedTo(
        { ...conversation, departmentId, version: conversation.version + 1 },
        {
          type: "conversation.department_changed",
          subjectId: conversation.id,
          conversationId: conversation.id,
          contactId: conversation.contactId,
          before: { departmentId: conversation.departmentId },
          after: { departmentId },
        },
      )
