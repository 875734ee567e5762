import { Effect } from "effect"
import { ValidationError } from "../domain/shared/errors"
import { Storage } from "../ports/storage"
import { toTimestamp } from "./support/now"
import { defineUseCase } from "./support/use-case"

/**
 * Conversation volumes over a period (`from` inclusive, `to` exclusive, on creation date) per
 * department, keyword, label or channel, largest first. Conversations without a department count
 * under a `null` key; a conversation with several keywords or labels counts once for each.
 *
 * @example
 * ```ts
 * import { volumeReport } from "rmc-details"
 * const program = volumeReport({ tenantId: "acme", agentId: "sam", role: "supervisor" },
 *   { dimension: "department", from: "2026-03-01T00:00:00Z", to: "2026-04-01T00:00:00Z" })
 * ```
 */
export const volumeReport = defineUseCase("volumeReport", (principal, input) =>
  Effect.gen(function* () {
    const from = toTimestamp(input.from)
    const to = toTimestamp(input.to)
    if (from >= to) {
      return yield* new ValidationError({
        message: "Invalid period: `from` must be before `to`",
        issues: [{ path: ["to"], message: "must be after from" }],
      })
    }
    const storage = yield* Storage
    return [...(yield* storage.query((r) => r.conversations.volumes(principal.tenantId, input.dimension, from, to)))]
  }),
)
