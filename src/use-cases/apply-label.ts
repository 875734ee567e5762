import { Effect } from "effect"
import { changeConversationTags } from "./support/conversation-tagging"
import { usable } from "./support/usable"
import { defineUseCase } from "./support/use-case"

/**
 * Applies a label to a conversation and answers the conversation's labels. Only a live label can be
 * applied; applying one twice changes nothing.
 *
 * @example
 * ```ts
 * import { applyLabel } from "rmc-details"
 * const program = applyLabel({ tenantId: "acme", agentId: "alice", role: "agent" },
 *   { conversationId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11", labelId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c12" })
 * ```
 */
export const applyLabel = defineUseCase("applyLabel", (principal, input) =>
  changeConversationTags(
    principal,
    input.conversationId,
    "label.applied",
    { labelId: input.labelId },
    (r, conversation, now) =>
      Effect.flatMap(usable("label", input.labelId, r.labels.get(principal.tenantId, input.labelId)), (label) =>
        r.tagging.applyLabel(principal.tenantId, conversation.id, label.id, now),
      ),
    (r, conversation) => r.tagging.labelsOf(principal.tenantId, conversation.id),
  ),
)
