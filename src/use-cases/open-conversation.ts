import { Effect } from "effect"
import type { Conversation } from "../domain/conversation/conversation"
import { activityEvent } from "./support/activity"
import { idempotentCreation } from "./support/idempotent"
import { currentTime, nextId } from "./support/now"
import { usable } from "./support/usable"
import { writableContact } from "./support/writable-contact"
import { defineUseCase } from "./support/use-case"
import { withSameIdentities } from "./support/same-identities"

/**
 * Opens a conversation with a contact on a channel, optionally in a department and assigned to an
 * agent. It becomes the contact's latest activity.
 *
 * @example
 * ```ts
 * import { openConversation } from "rmc-details"
 * const program = openConversation({ tenantId: "acme", agentId: "alice", role: "agent" },
 *   { contactId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11", channel: "whatsapp", assigneeId: "alice" })
 * ```
 */
export const openConversation = defineUseCase("openConversation", (principal, input) =>
  Effect.gen(function* () {
    const now = yield* currentTime
    const id = yield* nextId
    const { idempotencyKey, ...request } = input
    return yield* idempotentCreation(
      {
        tenantId: principal.tenantId,
        operation: "openConversation",
        key: idempotencyKey,
        request,
        now,
        entity: "conversation",
        reread: (r, id) => r.conversations.get(principal.tenantId, id),
      },
      (r) =>
        Effect.gen(function* () {
          const contact = yield* writableContact(r, principal.tenantId, input.contactId, "update")
          if (input.departmentId !== undefined) {
            yield* usable("department", input.departmentId, r.departments.get(principal.tenantId, input.departmentId))
          }
          const conversation: Conversation = {
            id,
            tenantId: principal.tenantId,
            contactId: contact.id,
            channel: input.channel,
            status: "open",
            assigneeId: input.assigneeId ?? null,
            departmentId: input.departmentId ?? null,
            createdAt: now,
            lastActivityAt: now,
            assignedAt: input.assigneeId === undefined ? null : now,
            version: 1,
          }
          yield* r.conversations.insert(conversation)
          if (now > contact.lastActivityAt) {
            yield* withSameIdentities(r.contacts.update({ ...contact, lastActivityAt: now, version: contact.version + 1 }, contact))
          }
          yield* r.activity.append([
            yield* activityEvent(principal, now, "conversation.opened", {
              subjectId: id,
              conversationId: id,
              contactId: contact.id,
              after: { channel: conversation.channel, assigneeId: conversation.assigneeId, departmentId: conversation.departmentId },
            }),
          ])
          return conversation
        }),
    )
  }),
)
