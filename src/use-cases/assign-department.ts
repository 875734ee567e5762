import { Effect } from "effect"
import { departmentChangeTransition } from "../domain/conversation/department-change-transition"
import { departmentChangeAllowedByPolicy } from "../domain/conversation/transfer-policy"
import { PolicyViolationError } from "../domain/shared/errors"
import { unchanged } from "../domain/shared/transition"
import { runCommand } from "./support/command"
import { conversationForUpdate } from "./support/conversation-for-update"
import { handoverNotes } from "./support/handover-notes"
import { settingsOf } from "./support/settings"
import { routedDepartment } from "./support/routing"
import { defineUseCase } from "./support/use-case"

/**
 * Assigns a conversation to a department, changes it, or clears it with `null`. Only a live
 * (not archived) department can be assigned; an archived one stays on the conversations that
 * already had it. Assigning the department it already has changes nothing. When the tenant's
 * `noteBeforeDepartmentChange` policy is on, a change is refused with {@link PolicyViolationError}
 * (`note_before_department_change`) unless the agent wrote a note on the conversation since it was
 * last assigned, as before a transfer. The tenant's department rules apply as to a transfer (see
 * `transferConversation`): a closed department sends the conversation to its open fallback, or the
 * change is refused with `TransferRefusedError`, as is a department the current one does not allow.
 *
 * @example
 * ```ts
 * import { assignDepartment } from "rmc-details"
 * const program = assignDepartment({ tenantId: "acme", agentId: "alice", role: "agent" },
 *   { conversationId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11", departmentId: null })
 * ```
 */
export const assignDepartment = defineUseCase("assignDepartment", (principal, input) =>
  runCommand(principal, (r) => conversationForUpdate(r, principal.tenantId, input.conversationId))({
    expectedVersion: { entity: "conversation", version: input.expectedVersion },
    transition: (conversation, { r, now }) =>
      Effect.gen(function* () {
        // Asking for the department it already has is answered before any rule is read.
        if (conversation.departmentId === input.departmentId) return unchanged
        const settings = yield* settingsOf(r, principal.tenantId)
        if (settings.policies.noteBeforeDepartmentChange === true) {
          const notes = yield* handoverNotes(r, conversation, principal.agentId)
          if (!departmentChangeAllowedByPolicy(settings, conversation, notes, principal.agentId)) {
            return yield* new PolicyViolationError({
              message: "The tenant requires a note on the conversation before a department change: add one first",
              policy: "note_before_department_change",
            })
          }
        }
        const departmentId = input.departmentId === null ? null : (yield* routedDepartment(r, settings, conversation, input.departmentId, now)).departmentId
        return departmentChangeTransition(conversation, departmentId)
      }),
    save: (r, next) => r.conversations.update(next),
  }),
)
