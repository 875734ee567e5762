import { changedFields } from "../shared/changed-fields"
import type { Transition } from "../shared/transition"
import { changedTo, unchanged } from "../shared/transition"
import type { AttributeDefinition } from "./attribute-definition"

/**
 * What changing a live attribute definition does: a new label or required flag replaces the old
 * one, and `addOptions` are appended to an enum's options, except those it already has (ignoring
 * case). When anything differs it takes the next version, and the event records only the fields
 * that changed; otherwise nothing changes.
 *
 * @example
 * ```ts
 * import { attributeUpdateTransition, type AttributeDefinition } from "rmc-details"
 * declare const definition: AttributeDefinition
 * const t = attributeUpdateTransition(definition, { addOptions: ["Platinum"] })
 * ```
 */
export const attributeUpdateTransition = (
  definition: AttributeDefinition,
  change: { readonly label?: string | undefined; readonly required?: boolean | undefined; readonly addOptions?: ReadonlyArray<string> | undefined },
): Transition<AttributeDefinition> => {
  const known = new Set(definition.options.map((o) => o.toLowerCase()))
  const next: AttributeDefinition = {
    ...definition,
    label: change.label ?? definition.label,
    options: [...definition.options, ...(change.addOptions ?? []).filter((o) => !known.has(o.toLowerCase()))],
    required: change.required ?? definition.required,
    version: definition.version + 1,
  }
  const fields = changedFields(definition, next, ["label", "options", "required"])
  return fields === null
    ? unchanged
    : changedTo(next, {
        type: "attribute.updated",
        subjectId: definition.id,
        conversationId: null,
        contactId: null,
        before: fields.before,
        after: fields.after,
      })
}
