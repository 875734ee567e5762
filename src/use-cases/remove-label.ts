import { changeConversationTags } from "./support/conversation-tagging"
import { defineUseCase } from "./support/use-case"

/**
 * Removes a label from a conversation and answers the conversation's labels. Removing one that is
 * not applied changes nothing.
 *
 * @example
 * ```ts
 * import { removeLabel } from "rmc-details"
 * const program = removeLabel({ tenantId: "acme", agentId: "alice", role: "agent" },
 *   { conversationId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11", labelId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c12" })
 * ```
 */
export const removeLabel = defineUseCase("removeLabel", (principal, input) =>
  changeConversationTags(
    principal,
    input.conversationId,
    "label.removed",
    { labelId: input.labelId },
    (r, conversation) => r.tagging.removeLabel(principal.tenantId, conversation.id, input.labelId),
    (r, conversation) => r.tagging.labelsOf(principal.tenantId, conversation.id),
  ),
)
