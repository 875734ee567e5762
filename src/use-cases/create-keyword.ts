import { Effect } from "effect"
import type { Keyword } from "../domain/tagging/keyword"
import { activityEvent } from "./support/activity"
import { nameAvailable } from "./support/catalog-records"
import { idempotentCreation } from "./support/idempotent"
import { currentTime, nextId } from "./support/now"
import { defineUseCase } from "./support/use-case"

/**
 * Adds a keyword to the tenant's central catalog (supervisor, admin). Keywords are curated for
 * search, filtering and reports, which is why agents attach them but do not create them.
 *
 * @example
 * ```ts
 * import { createKeyword } from "rmc-details"
 * const program = createKeyword({ tenantId: "acme", agentId: "sam", role: "supervisor" }, { name: "Invoice" })
 * ```
 */
export const createKeyword = defineUseCase("createKeyword", (principal, input) =>
  Effect.gen(function* () {
    const now = yield* currentTime
    const id = yield* nextId
    const { idempotencyKey, ...request } = input
    return yield* idempotentCreation(
      {
        tenantId: principal.tenantId,
        operation: "createKeyword",
        key: idempotencyKey,
        request,
        now,
        entity: "keyword",
        reread: (r, id) => r.keywords.get(principal.tenantId, id),
      },
      (r) =>
        Effect.gen(function* () {
          const normalizedName = yield* nameAvailable(r, "keyword", principal.tenantId, input.name, null)
          const keyword: Keyword = {
            id,
            tenantId: principal.tenantId,
            name: input.name,
            normalizedName,
            createdAt: now,
            archivedAt: null,
            mergedIntoId: null,
          }
          yield* r.keywords.insert(keyword)
          yield* r.activity.append([
            yield* activityEvent(principal, now, "keyword.created", { subjectId: id, conversationId: null, contactId: null, after: { name: input.name } }),
          ])
          return keyword
        }),
    )
  }),
)
