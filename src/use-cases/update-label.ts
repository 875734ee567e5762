import { Effect } from "effect"
import { labelUpdateTransition } from "../domain/tagging/label-update-transition"
import { nameAvailable } from "./support/catalog-records"
import { runCommand } from "./support/command"
import { orNotFound } from "./support/find"
import { defineUseCase } from "./support/use-case"

/**
 * Changes a label's name, colour or description (supervisor, admin: a label is shared by every
 * agent of the tenant once created). `description: null` clears it.
 *
 * @example
 * ```ts
 * import { updateLabel } from "rmc-details"
 * const program = updateLabel({ tenantId: "acme", agentId: "sam", role: "supervisor" },
 *   { labelId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11", color: "#16a34a" })
 * ```
 */
export const updateLabel = defineUseCase("updateLabel", (principal, input) =>
  runCommand(principal, (r) => orNotFound("label", input.labelId)(r.labels.get(principal.tenantId, input.labelId)))({
    transition: (label, { r }) =>
      Effect.gen(function* () {
        const name = input.name ?? label.name
        const normalizedName = name === label.name ? label.normalizedName : yield* nameAvailable(r, "label", principal.tenantId, name, label.id)
        const description = input.description === undefined ? label.description : input.description === "" ? null : input.description
        return labelUpdateTransition(label, { name, normalizedName, color: input.color ?? label.color, description })
      }),
    save: (r, next) => r.labels.update(next),
  }),
)
