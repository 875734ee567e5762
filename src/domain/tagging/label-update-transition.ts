import type { Transition } from "../shared/transition"
import { changedTo, unchanged } from "../shared/transition"
import type { Label } from "./label"

/**
 * What giving a label the name, colour and description of `change` does (a new name already found
 * free, with its normalised form): when any of the three differs, the label takes them and the
 * event records all three before and after; otherwise nothing changes.
 *
 * @example
 * ```ts
 * import { labelUpdateTransition, type Label } from "rmc-details"
 * declare const label: Label
 * const t = labelUpdateTransition(label, { ...label, color: "#16a34a" })
 * ```
 */
export const labelUpdateTransition = (label: Label, change: Pick<Label, "name" | "normalizedName" | "color" | "description">): Transition<Label> => {
  if (change.name === label.name && change.color === label.color && change.description === label.description) return unchanged
  const next: Label = { ...label, name: change.name, normalizedName: change.normalizedName, color: change.color, description: change.description }
  return changedTo(next, {
    type: "label.updated",
    subjectId: label.id,
    conversationId: null,
    contactId: null,
    before: { name: label.name, color: label.color, description: label.description },
    after: { name: next.name, color: next.color, description: next.description },
  })
}
