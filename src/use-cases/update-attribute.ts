import { Effect } from "effect"
import type { AttributeDefinition } from "../domain/attribute/attribute-definition"
import { ArchivedError, ValidationError } from "../domain/shared/errors"
import { Storage } from "../ports/storage"
import { activityEvent } from "./support/activity"
import { distinctOptions } from "./support/attributes"
import { expectVersion } from "./support/expect-version"
import { orNotFound } from "./support/find"
import { currentTime } from "./support/now"
import { defineUseCase } from "./support/use-case"

const tracked = ["label", "options", "required"] as const

/**
 * Changes a custom attribute's label or required flag, or adds options to an enum (admin). Options
 * are only ever added, and the key, type and target never change, so that every stored value keeps
 * fitting its definition. Making an attribute required checks no stored record: the next
 * `setAttributes` of a record must give it a value. An archived attribute is no longer changed
 * (`archived`). A change to nothing changes nothing.
 *
 * @example
 * ```ts
 * import { updateAttribute } from "rmc-details"
 * const program = updateAttribute({ tenantId: "acme", agentId: "ada", role: "admin" },
 *   { attributeId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11", addOptions: ["Platinum"] })
 * ```
 */
export const updateAttribute = defineUseCase("updateAttribute", (principal, input) =>
  Effect.gen(function* () {
    const storage = yield* Storage
    const now = yield* currentTime
    return yield* storage.transaction((r) =>
      Effect.gen(function* () {
        const definition = yield* orNotFound("attribute", input.attributeId)(r.attributes.get(principal.tenantId, input.attributeId))
        yield* expectVersion("attribute", definition.id, input.expectedVersion, definition.version)
        if (definition.archivedAt !== null) {
          return yield* new ArchivedError({ message: `attribute ${definition.key} is archived`, entity: "attribute", id: definition.id })
        }
        if (input.addOptions !== undefined && definition.type !== "enum") {
          const message = `a ${definition.type} attribute takes no options`
          return yield* new ValidationError({ message: `Invalid addOptions: ${message}`, issues: [{ path: ["addOptions"], message }] })
        }
        const added = yield* distinctOptions(input.addOptions ?? [], ["addOptions"])
        const known = new Set(definition.options.map((o) => o.toLowerCase()))
        const next: AttributeDefinition = {
          ...definition,
          label: input.label ?? definition.label,
          // An option already there (ignoring case) is not added twice.
          options: [...definition.options, ...added.filter((o) => !known.has(o.toLowerCase()))],
          required: input.required ?? definition.required,
          version: definition.version + 1,
        }
        const changed = tracked.filter((field) => JSON.stringify(definition[field]) !== JSON.stringify(next[field]))
        if (changed.length === 0) return definition
        yield* r.attributes.update(next)
        yield* r.activity.append([
          yield* activityEvent(principal, now, "attribute.updated", {
            subjectId: definition.id,
            conversationId: null,
            contactId: null,
            before: Object.fromEntries(changed.map((f) => [f, definition[f]])),
            after: Object.fromEntries(changed.map((f) => [f, next[f]])),
          }),
        ])
        return next
      }),
    )
  }),
)
