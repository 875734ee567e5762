import { conversationStatusTransition } from "../domain/conversation/conversation-status-transition"
import { runCommand } from "./support/command"
import { conversationForUpdate } from "./support/conversation-for-update"
import { defineUseCase } from "./support/use-case"

/**
 * Sets a conversation's status (open, pending, resolved). Setting the status it already has
 * changes nothing and records nothing.
 *
 * @example
 * ```ts
 * import { setConversationStatus } from "rmc-details"
 * const program = setConversationStatus({ tenantId: "acme", agentId: "alice", role: "agent" },
 *   { conversationId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11", status: "resolved" })
 * ```
 */
export const setConversationStatus = defineUseCase("setConversationStatus", (principal, input) =>
  runCommand(principal, (r) => conversationForUpdate(r, principal.tenantId, input.conversationId))({
    expectedVersion: { entity: "conversation", version: input.expectedVersion },
    transition: (conversation) => conversationStatusTransition(conversation, input.status),
    save: (r, next) => r.conversations.update(next),
  }),
)
