import { Effect } from "effect"
import type { ConversationSummary } from "../domain/conversation/conversation"
import { ArchivedError, type StorageError, type ValidationError } from "../domain/shared/errors"
import { Storage, type StorageRepositories } from "../ports/storage"
import { activityEvent } from "./support/activity"
import { orNotFound } from "./support/find"
import { currentTime } from "./support/now"
import { defineUseCase } from "./support/use-case"

/** Every conversation of the tenant tagged with the keyword, read page by page. */
const conversationsTaggedWith = (r: StorageRepositories, tenantId: string, keywordId: string) =>
  Effect.gen(function* () {
    const all: Array<ConversationSummary> = []
    for (;;) {
      const last = all.at(-1)
      const page: ReadonlyArray<ConversationSummary> = yield* r.conversations.search(
        tenantId,
        { keywords: { anyOf: [keywordId] } },
        { limit: 500, after: last === undefined ? undefined : { at: last.lastActivityAt, id: last.id } },
      )
      all.push(...page)
      if (page.length < 500) return all as ReadonlyArray<ConversationSummary>
    }
  }) as Effect.Effect<ReadonlyArray<ConversationSummary>, StorageError>

/**
 * Merges keyword `sourceId` into `targetId` (supervisor, admin), e.g. "Facture" into "Invoice":
 * every conversation tagged with the source is tagged with the target instead, and the source is
 * archived with a pointer to the target, so that past reports can still explain it. The merge is
 * on the tenant's activity feed ({@link tenantActivity}) and, as one `keyword.merged` event each,
 * on the timeline of every conversation it retagged.
 *
 * The merge is atomic against agents tagging at the same time: it locks both keywords, so it
 * waits for the attachments and detachments in flight, and those that come after it see the
 * source merged and apply to the target (see `attachKeyword`). Afterwards no conversation carries
 * the source, and no attachment that answered success is lost.
 *
 * Refused: merging a keyword into itself ({@link ValidationError}); merging a keyword that was
 * merged already, or into an archived or merged target ({@link ArchivedError}).
 *
 * @example
 * ```ts
 * import { mergeKeywords } from "rmc-details"
 * const program = mergeKeywords({ tenantId: "acme", agentId: "sam", role: "supervisor" },
 *   { sourceId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11", targetId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c12" })
 * ```
 */
export const mergeKeywords = defineUseCase("mergeKeywords", (principal, input) =>
  Effect.gen(function* () {
    const storage = yield* Storage
    const now = yield* currentTime
    return yield* storage.transaction((r) =>
      Effect.gen(function* () {
        // Both locked, in one order for every merge, so that two merges of the same pair queue up
        // instead of deadlocking.
        const [first, second] = input.sourceId < input.targetId ? [input.sourceId, input.targetId] : [input.targetId, input.sourceId]
        const locked = new Map([
          [first, yield* r.keywords.getLocked(principal.tenantId, first, "update")],
          [second, yield* r.keywords.getLocked(principal.tenantId, second, "update")],
        ])
        const source = yield* orNotFound("keyword", input.sourceId)(Effect.succeed(locked.get(input.sourceId) ?? null))
        if (source.mergedIntoId !== null) {
          return yield* new ArchivedError({
            message: `keyword ${source.id} was merged into ${source.mergedIntoId} already`,
            entity: "keyword",
            id: source.id,
          })
        }
        const target = yield* orNotFound("keyword", input.targetId)(Effect.succeed(locked.get(input.targetId) ?? null))
        if (target.archivedAt !== null) {
          return yield* new ArchivedError({
            message: `keyword ${target.id} is ${target.mergedIntoId === null ? "archived" : "merged"}`,
            entity: "keyword",
            id: target.id,
          })
        }
        const touched = yield* conversationsTaggedWith(r, principal.tenantId, source.id)
        const moved = yield* r.tagging.moveKeyword(principal.tenantId, source.id, target.id, now)
        yield* r.keywords.update({ ...source, archivedAt: source.archivedAt ?? now, mergedIntoId: target.id })
        const merged = { before: { name: source.name }, after: { mergedIntoId: target.id, targetName: target.name } }
        // One event on the tenant's feed, and one on the timeline of each conversation it retagged.
        const events = [
          yield* activityEvent(principal, now, "keyword.merged", {
            subjectId: source.id,
            conversationId: null,
            contactId: null,
            before: merged.before,
            after: { ...merged.after, conversations: moved },
          }),
        ]
        for (const conversation of touched) {
          events.push(
            yield* activityEvent(principal, now, "keyword.merged", {
              subjectId: source.id,
              conversationId: conversation.id,
              contactId: conversation.contactId,
              ...merged,
            }),
          )
        }
        yield* r.activity.append(events)
        return target
      }),
    )
  }),
)
