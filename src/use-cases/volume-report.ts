import { Effect } from "effect"
import { ValidationError } from "../domain/shared/errors"
import { Storage } from "../ports/storage"
import { attributeInvalid } from "./support/attributes"
import { toTimestamp } from "./support/now"
import { defineUseCase } from "./support/use-case"

/**
 * Conversation volumes over a period (`from` inclusive, `to` exclusive, on creation date) per
 * department, keyword, label, channel or option of an `enum` custom attribute (`attributeKey`;
 * another type, or a key the tenant does not define, fails with `attribute_invalid`), largest
 * first. Conversations without a department, or without a value of the attribute, count under a
 * `null` key; a conversation with several keywords or labels counts once for each.
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
    const rows = yield* storage.query((r) =>
      Effect.gen(function* () {
        if (input.attributeKey === undefined) return yield* r.conversations.volumes(principal.tenantId, input.dimension, from, to)
        const [definition] = yield* r.attributes.findByKeys(principal.tenantId, [input.attributeKey])
        if (definition === undefined) return yield* attributeInvalid(input.attributeKey, "unknown_key", "the tenant defines no attribute with this key")
        if (definition.type !== "enum")
          return yield* attributeInvalid(definition.key, "wrong_type", `a report counts by an enum attribute, not ${definition.type}`)
        return yield* r.conversations.volumes(principal.tenantId, "attribute", from, to, { key: definition.key, target: definition.target })
      }),
    )
    return [...rows]
  }),
)
