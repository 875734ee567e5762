import { Effect } from "effect"
import { activityEvent } from "./support/activity"
import { idempotentCreation } from "./support/idempotent"
import { newNote } from "./support/new-note"
import { currentTime, nextId } from "./support/now"
import { writableContact, writableContactOfConversation } from "./support/writable-contact"
import { defineUseCase } from "./support/use-case"

/**
 * Adds an internal note (remarque) to a contact or a conversation. Notes are for the tenant's agents
 * only: no customer-facing projection of the SDK can carry one.
 *
 * @example
 * ```ts
 * import { addNote } from "rmc-details"
 * const program = addNote({ tenantId: "acme", agentId: "alice", role: "agent" },
 *   { subject: { kind: "conversation", id: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11" }, body: "Call back at 3pm" })
 * ```
 */
export const addNote = defineUseCase("addNote", (principal, input) =>
  Effect.gen(function* () {
    const now = yield* currentTime
    const id = yield* nextId
    const { idempotencyKey, ...request } = input
    return yield* idempotentCreation(
      {
        tenantId: principal.tenantId,
        operation: "addNote",
        key: idempotencyKey,
        request,
        now,
        entity: "note",
        reread: (r, id) => Effect.map(r.notes.get(principal.tenantId, id), (note) => (note === null || note.deletedAt !== null ? null : note)),
      },
      (r) =>
        Effect.gen(function* () {
          const { subject } = input
          const { id: contactId } =
            subject.kind === "contact"
              ? yield* writableContact(r, principal.tenantId, subject.id)
              : yield* writableContactOfConversation(r, principal.tenantId, subject.id)
          const note = newNote(principal, { id, subject, contactId, body: input.body, at: now })
          yield* r.notes.insert(note)
          yield* r.activity.append([
            yield* activityEvent(principal, now, "note.added", {
              subjectId: note.id,
              conversationId: subject.kind === "conversation" ? subject.id : null,
              contactId,
              after: { subject, body: note.body },
            }),
          ])
          return note
        }),
    )
  }),
)
