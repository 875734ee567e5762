import { Effect } from "effect"
import { Storage } from "../ports/storage"
import { activityEvent } from "./support/activity"
import { orNotFound } from "./support/find"
import { currentTime } from "./support/now"
import { usable } from "./support/usable"
import { defineUseCase } from "./support/use-case"

/**
 * Merges keyword `sourceId` into `targetId` (supervisor, admin), e.g. "Facture" into "Invoice":
 * every conversation tagged with the source is tagged with the target instead, and the source is
 * archived with a pointer to the target, so that past reports can still explain it.
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
        const source = yield* orNotFound("keyword", input.sourceId)(r.keywords.get(principal.tenantId, input.sourceId))
        const target = yield* usable("keyword", input.targetId, r.keywords.get(principal.tenantId, input.targetId))
        const moved = yield* r.tagging.moveKeyword(principal.tenantId, source.id, target.id, now)
        yield* r.keywords.update({ ...source, archivedAt: source.archivedAt ?? now, mergedIntoId: target.id })
        yield* r.activity.append([
          yield* activityEvent(principal, now, "keyword.merged", {
            subjectId: source.id,
            conversationId: null,
            contactId: null,
            before: { name: source.name },
            after: { mergedIntoId: target.id, conversations: moved },
          }),
        ])
        return target
      }),
    )
  }),
)
