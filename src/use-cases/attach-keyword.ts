import { Effect } from "effect"
import { ArchivedError } from "../domain/shared/errors"
import { changeConversationTags } from "./support/conversation-tagging"
import { currentKeyword } from "./support/current-keyword"
import { orNotFound } from "./support/find"
import { defineUseCase } from "./support/use-case"

/**
 * Attaches a keyword of the catalog to a conversation and answers the conversation's keywords.
 * Only a live keyword can be attached; attaching one twice changes nothing.
 *
 * A keyword merged into another (see `mergeKeywords`) is that other keyword now: attaching it
 * attaches the merge target, and the answer lists the target. An attachment racing with a merge
 * either lands before it (and the merge moves it to the target) or after it (on the target):
 * it is never lost, and no conversation keeps the merged keyword.
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
      Effect.gen(function* () {
        const keyword = yield* orNotFound("keyword", input.keywordId)(currentKeyword(r, principal.tenantId, input.keywordId))
        if (keyword.archivedAt !== null) return yield* new ArchivedError({ message: `keyword ${keyword.id} is archived`, entity: "keyword", id: keyword.id })
        const changed = yield* r.tagging.attachKeyword(principal.tenantId, conversation.id, keyword.id, now)
        return { changed, details: keyword.id === input.keywordId ? { keywordId: keyword.id } : { keywordId: keyword.id, requestedKeywordId: input.keywordId } }
      }),
    (r, conversation) => r.tagging.keywordsOf(principal.tenantId, conversation.id),
  ),
)
