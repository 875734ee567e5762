import { Effect } from "effect"
import { changeConversationTags } from "./support/conversation-tagging"
import { currentKeyword } from "./support/current-keyword"
import { defineUseCase } from "./support/use-case"

/**
 * Detaches a keyword from a conversation and answers the conversation's keywords. Detaching one
 * that is not attached changes nothing; an archived keyword can still be detached.
 *
 * A keyword merged into another is that other keyword now: detaching it detaches the merge
 * target (the conversation carries the target since the merge). A detachment racing with a merge
 * is applied before it or after it, never undone by it.
 *
 * @example
 * ```ts
 * import { detachKeyword } from "rmc-details"
 * const program = detachKeyword({ tenantId: "acme", agentId: "alice", role: "agent" },
 *   { conversationId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11", keywordId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c12" })
 * ```
 */
export const detachKeyword = defineUseCase("detachKeyword", (principal, input) =>
  changeConversationTags(
    principal,
    input.conversationId,
    "keyword.detached",
    { keywordId: input.keywordId },
    (r, conversation) =>
      Effect.gen(function* () {
        const keyword = yield* currentKeyword(r, principal.tenantId, input.keywordId)
        const keywordId = keyword?.id ?? input.keywordId
        const changed = yield* r.tagging.detachKeyword(principal.tenantId, conversation.id, keywordId)
        return { changed, details: keywordId === input.keywordId ? { keywordId } : { keywordId, requestedKeywordId: input.keywordId } }
      }),
    (r, conversation) => r.tagging.keywordsOf(principal.tenantId, conversation.id),
  ),
)
