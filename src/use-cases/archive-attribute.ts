import { Effect } from "effect"
import { Storage } from "../ports/storage"
import { activityEvent } from "./support/activity"
import { orNotFound } from "./support/find"
import { currentTime } from "./support/now"
import { defineUseCase } from "./support/use-case"

/**
 * Archives a custom attribute (admin). Its values stay where they are, read and searched as
 * before, but none can be set or cleared any more (`archived`), and its `required` flag is no
 * longer enforced. Its key stays taken. Archiving twice changes nothing.
 *
 * @example
 * ```ts
 * import { archiveAttribute } from "rmc-details"
 * const program = archiveAttribute({ tenantId: "acme", agentId: "ada", role: "admin" },
 *   { attributeId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11" })
 * ```
 */
export const archiveAttribute = defineUseCase("archiveAttribute", (principal, input) =>
  Effect.gen(function* () {
    const storage = yield* Storage
    const now = yield* currentTime
    return yield* storage.transaction((r) =>
      Effect.gen(function* () {
        const definition = yield* orNotFound("attribute", input.attributeId)(r.attributes.get(principal.tenantId, input.attributeId))
        if (definition.archivedAt !== null) return definition
        const next = { ...definition, archivedAt: now, version: definition.version + 1 }
        yield* r.attributes.update(next)
        yield* r.activity.append([
          yield* activityEvent(principal, now, "attribute.archived", {
            subjectId: definition.id,
            conversationId: null,
            contactId: null,
            before: { archivedAt: null },
            after: { archivedAt: now },
          }),
        ])
        return next
      }),
    )
  }),
)
