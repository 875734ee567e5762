import { Effect } from "effect"
import { transferAllowedByPolicy } from "../domain/conversation/transfer-policy"
import { transferTransition } from "../domain/conversation/transfer-transition"
import { noteConversationId } from "../domain/note/note-conversation-id"
import type { Note } from "../domain/note/note"
import { PolicyViolationError } from "../domain/shared/errors"
import type { Principal } from "../domain/shared/principal"
import type { StorageRepositories } from "../ports/storage"
import { activityEvent } from "./support/activity"
import { runCommand } from "./support/command"
import { conversationForUpdate } from "./support/conversation-for-update"
import { handoverNotes } from "./support/handover-notes"
import { currentTime, nextId } from "./support/now"
import { settingsOf } from "./support/settings"
import { checkTargetAgent, routedDepartment } from "./support/routing"
import { newNote } from "./support/new-note"
import { defineUseCase } from "./support/use-case"

const addNote = (r: StorageRepositories, principal: Principal, at: string, note: Note) =>
  Effect.gen(function* () {
    yield* r.notes.insert(note)
    yield* r.activity.append([
      yield* activityEvent(principal, at, "note.added", {
        subjectId: note.id,
        conversationId: noteConversationId(note),
        contactId: note.contactId,
        after: { subject: note.subject, body: note.body },
      }),
    ])
  })

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
    const now = yield* currentTime
    const noteId = yield* nextId
    return yield* runCommand(principal, (r) => conversationForUpdate(r, principal.tenantId, input.conversationId))({
      at: now,
      expectedVersion: { entity: "conversation", version: input.expectedVersion },
      transition: (conversation, { r }) =>
        Effect.gen(function* () {
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
          if (input.toAgentId !== undefined) {
            yield* checkTargetAgent(r, settings, principal.tenantId, input.toAgentId, input.toDepartmentId === undefined ? null : route.departmentId)
          }
          // The note is kept even when the transfer moves nothing: it was given, and it is context.
          if (note !== null) yield* addNote(r, principal, now, note)
          return transferTransition(conversation, {
            toAgentId: input.toAgentId,
            departmentId: route.departmentId,
            noteId: note?.id ?? null,
            requestedDepartmentId: route.rerouted ? input.toDepartmentId : undefined,
            at: now,
          })
        }),
      save: (r, next) => r.conversations.update(next),
    })
  }),
)
