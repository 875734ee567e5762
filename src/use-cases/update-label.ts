import { Effect } from "effect"
import { Storage } from "../ports/storage"
import { activityEvent } from "./support/activity"
import { nameAvailable } from "./support/catalog-records"
import { orNotFound } from "./support/find"
import { currentTime } from "./support/now"
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
  Effect.gen(function* () {
    const storage = yield* Storage
    const now = yield* currentTime
    return yield* storage.transaction((r) =>
      Effect.gen(function* () {
        const label = yield* orNotFound("label", input.labelId)(r.labels.get(principal.tenantId, input.labelId))
        const name = input.name ?? label.name
        const normalizedName = name === label.name ? label.normalizedName : yield* nameAvailable(r, "label", principal.tenantId, name, label.id)
        const description = input.description === undefined ? label.description : input.description === "" ? null : input.description
        const next = { ...label, name, normalizedName, color: input.color ?? label.color, description }
        if (next.name === label.name && next.color === label.color && next.description === label.description) return label
        yield* r.labels.update(next)
        yield* r.activity.append([
          yield* activityEvent(principal, now, "label.updated", {
            subjectId: label.id,
            conversationId: null,
            contactId: null,
            before: { name: label.name, color: label.color, description: label.description },
            after: { name: next.name, color: next.color, description: next.description },
          }),
        ])
        return next
      }),
    )
  }),
)
