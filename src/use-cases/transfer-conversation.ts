import { Effect } from "effect"
import { transferAllowedByPolicy } from "../domain/conversation/transfer-policy"
import { PolicyViolationError } from "../domain/shared/errors"
import { Storage } from "../ports/storage"
import { activityEvent } from "./support/activity"
import { conversationForUpdate } from "./support/conversation-for-update"
import { handoverNotes } from "./support/handover-notes"
import { currentTime, nextId } from "./support/now"
import { settingsOf } from "./support/settings"
import { checkTargetAgent, routedDepartment } from "./support/routing"
import { newNote } from "./support/new-note"
import { defineUseCase } from "./support/use-case"

/**
 * Transfers a conversation to another agent and/or department. A `note` given with the transfer is
 * added to the conversation in the same transaction. When the tenant's policy requires a note
 * before a transfer, the transfer is refused with {@link PolicyViolationError} unless the
 * transferring agent wrote one on the conversation since it was last assigned (or gives it now).
 *
 * The tenant's routing rules apply (see `TenantRouting`): a department the conversation's
 * department does not allow, or one that is closed with no open fallback, is refused with
 * `TransferRefusedError`; a closed department with an open fallback sends the conversation to the
 * fallback (the event's `after` names the `requestedDepartmentId`). With `knownAgentsOnly`, the
 * target agent must be an active agent of the directory, and a member of the department the
 * conversation ends in when the transfer names a department too.
 *
 * @example
 * ```ts
 * import { transferConversation } from "rmc-details"
 * const program = transferConversation({ tenantId: "acme", agentId: "alice", role: "agent" },
 *   { conversationId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11", toAgentId: "bob", note: "Wants a quote for 20 lines" })
 * ```
 */
export const transferConversation = defineUseCase("transferConversation", (principal, input) =>
  Effect.gen(function* () {
    const storage = yield* Storage
    const now = yield* currentTime
    const noteId = yield* nextId
    return yield* storage.transaction((r) =>
      Effect.gen(function* () {
        const conversation = yield* conversationForUpdate(r, principal.tenantId, input.conversationId, input.expectedVersion)
        const settings = yield* settingsOf(r, principal.tenantId)
        const note =
          input.note === undefined
            ? null
            : newNote(principal, {
                id: noteId,
                subject: { kind: "conversation", id: conversation.id },
                contactId: conversation.contactId,
                body: input.note,
                at: now,
              })
        const notes = note !== null ? [note] : settings.policies.noteBeforeTransfer ? yield* handoverNotes(r, conversation, principal.agentId) : []
        if (!transferAllowedByPolicy(settings, conversation, notes, principal.agentId)) {
          return yield* new PolicyViolationError({
            message: "The tenant requires a note on the conversation before a transfer: add one, or give it with the transfer",
            policy: "note_before_transfer",
          })
        }
        const route =
          input.toDepartmentId === undefined || input.toDepartmentId === conversation.departmentId
            ? { departmentId: conversation.departmentId, rerouted: false }
            : yield* routedDepartment(r, settings, conversation, input.toDepartmentId, now)
        const departmentId = route.departmentId
        if (input.toAgentId !== undefined) {
          yield* checkTargetAgent(r, settings, principal.tenantId, input.toAgentId, input.toDepartmentId === undefined ? null : departmentId)
        }
        const assigneeId = input.toAgentId ?? conversation.assigneeId
        const reassigned = assigneeId !== conversation.assigneeId
        const events = []
        if (note !== null) {
          yield* r.notes.insert(note)
          events.push(
            yield* activityEvent(principal, now, "note.added", {
              subjectId: note.id,
              conversationId: conversation.id,
              contactId: conversation.contactId,
              after: { subject: note.subject, body: note.body },
            }),
          )
        }
        if (!reassigned && departmentId === conversation.departmentId) {
          yield* r.activity.append(events)
          return conversation
        }
        const next = {
          ...conversation,
          assigneeId,
          departmentId,
          assignedAt: reassigned ? now : conversation.assignedAt,
          version: conversation.version + 1,
        }
        yield* r.conversations.update(next)
        events.push(
          yield* activityEvent(principal, now, "conversation.transferred", {
            subjectId: conversation.id,
            conversationId: conversation.id,
            contactId: conversation.contactId,
            before: { assigneeId: conversation.assigneeId, departmentId: conversation.departmentId },
            after: { assigneeId, departmentId, noteId: note?.id ?? null, ...(route.rerouted && { requestedDepartmentId: input.toDepartmentId }) },
          }),
        )
        yield* r.activity.append(events)
        return next
      }),
    )
  }),
)
