import { Effect } from "effect"
import { changeConversationTags } from "./support/conversation-tagging"
import { usable } from "./support/usable"
import { defineUseCase } from "./support/use-case"

/**
 * Attaches a keyword of the catalog to a conversation and answers the conversation's keywords.
 * Only a live keyword can be attached; attaching one twice changes nothing.
 *
 * @example
 * ```ts
 * import { attachKeyword } from "rmc-details"
 * const program = attachKeyword({ tenantId: "acme", agentId: "alice", role: "agent" },
 *   { conversationId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11", keywordId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c12" })
 * ```
 */
export const attachKeyword = defineUseCase("attachKeyword", (principal, input) =>
  changeConversationTags(
    principal,
    input.conversationId,
    "keyword.attached",
    { keywordId: input.keywordId },
    (r, conversation, now) =>
      Effect.flatMap(usable("keyword", input.keywordId, r.keywords.get(principal.tenantId, input.keywordId)), (keyword) =>
        r.tagging.attachKeyword(principal.tenantId, conversation.id, keyword.id, now),
      ),
    (r, conversation) => r.tagging.keywordsOf(principal.tenantId, conversation.id),
  ),
)
