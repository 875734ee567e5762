import { Effect } from "effect"
import type { StorageError } from "../../domain/shared/errors"
import type { Keyword } from "../../domain/tagging/keyword"
import type { StorageRepositories } from "../../ports/storage"

/**
 * The keyword that tagging with keyword `id` applies to now: the keyword itself, or, when it was
 * merged, the keyword it was merged into (following merges of merges). Each keyword on the way is
 * read with a `share` lock: a merge in flight is waited for, and one that committed is seen, so an
 * attachment or a detachment never lands on a keyword that a merge is emptying. `null` when the
 * tenant has no keyword `id`.
 *
 * @internal
 */
export const currentKeyword = (r: StorageRepositories, tenantId: string, id: string): Effect.Effect<Keyword | null, StorageError> =>
  Effect.gen(function* () {
    let keyword = yield* r.keywords.getLocked(tenantId, id, "share")
    const seen = new Set<string>()
    while (keyword !== null && keyword.mergedIntoId !== null && !seen.has(keyword.id)) {
      seen.add(keyword.id)
      keyword = yield* r.keywords.getLocked(tenantId, keyword.mergedIntoId, "share")
    }
    return keyword
  })
