import { Effect } from "effect"
import { attributeUpdateTransition } from "../domain/attribute/attribute-update-transition"
import { ArchivedError, ValidationError } from "../domain/shared/errors"
import { distinctOptions } from "./support/attributes"
import { runCommand } from "./support/command"
import { orNotFound } from "./support/find"
import { defineUseCase } from "./support/use-case"

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
  runCommand(principal, (r) => orNotFound("attribute", input.attributeId)(r.attributes.get(principal.tenantId, input.attributeId)))({
    expectedVersion: { entity: "attribute", version: input.expectedVersion },
    transition: (definition) =>
      Effect.gen(function* () {
        if (definition.archivedAt !== null) {
          return yield* new ArchivedError({ message: `attribute ${definition.key} is archived`, entity: "attribute", id: definition.id })
        }
        if (input.addOptions !== undefined && definition.type !== "enum") {
          const message = `a ${definition.type} attribute takes no options`
          return yield* new ValidationError({ message: `Invalid addOptions: ${message}`, issues: [{ path: ["addOptions"], message }] })
        }
        const addOptions = yield* distinctOptions(input.addOptions ?? [], ["addOptions"])
        return attributeUpdateTransition(definition, { label: input.label, required: input.required, addOptions })
      }),
    save: (r, next) => r.attributes.update(next),
  }),
)
