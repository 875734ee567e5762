import { Effect } from "effect"
import { Storage } from "../ports/storage"
import { conversationForUpdate } from "./support/conversation-for-update"
import { saveConversation } from "./support/save-conversation"
import { currentTime } from "./support/now"
import { usable } from "./support/usable"
import { defineUseCase } from "./support/use-case"

/**
 * Assigns a conversation to a department, changes it, or clears it with `null`. Only a live
 * (not archived) department can be assigned; an archived one stays on the conversations that
 * already had it. Assigning the department it already has changes nothing.
 *
 * @example
 * ```ts
 * import { assignDepartment } from "rmc-details"
 * const program = assignDepartment({ tenantId: "acme", agentId: "alice", role: "agent" },
 *   { conversationId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11", departmentId: null })
 * ```
 */
export const assignDepartment = defineUseCase("assignDepartment", (principal, input) =>
  Effect.gen(function* () {
    const storage = yield* Storage
    const now = yield* currentTime
    return yield* storage.transaction((r) =>
      Effect.gen(function* () {
        const conversation = yield* conversationForUpdate(r, principal.tenantId, input.conversationId, input.expectedVersion)
        if (conversation.departmentId === input.departmentId) return conversation
        if (input.departmentId !== null) {
          yield* usable("department", input.departmentId, r.departments.get(principal.tenantId, input.departmentId))
        }
        const next = { ...conversation, departmentId: input.departmentId, version: conversation.version + 1 }
        return yield* saveConversation(r, principal, now, {
          before: conversation,
          after: next,
          type: "conversation.department_changed",
          beforeFields: { departmentId: conversation.departmentId },
          afterFields: { departmentId: next.departmentId },
        })
      }),
    )
  }),
)
