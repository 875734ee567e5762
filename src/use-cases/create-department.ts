import { Effect } from "effect"
import type { Department } from "../domain/department/department"
import { activityEvent } from "./support/activity"
import { nameAvailable } from "./support/catalog-records"
import { idempotentCreation } from "./support/idempotent"
import { currentTime, nextId } from "./support/now"
import { defineUseCase } from "./support/use-case"

/**
 * Adds a department to the tenant's list (supervisor, admin). Names are unique per tenant, ignoring
 * case and accents.
 *
 * @example
 * ```ts
 * import { createDepartment } from "rmc-details"
 * const program = createDepartment({ tenantId: "acme", agentId: "sam", role: "supervisor" }, { name: "VoIP" })
 * ```
 */
export const createDepartment = defineUseCase("createDepartment", (principal, input) =>
  Effect.gen(function* () {
    const now = yield* currentTime
    const id = yield* nextId
    const { idempotencyKey, ...request } = input
    return yield* idempotentCreation(
      {
        tenantId: principal.tenantId,
        operation: "createDepartment",
        key: idempotencyKey,
        request,
        now,
        entity: "department",
        reread: (r, id) => r.departments.get(principal.tenantId, id),
      },
      (r) =>
        Effect.gen(function* () {
          const normalizedName = yield* nameAvailable(r, "department", principal.tenantId, input.name, null)
          const department: Department = { id, tenantId: principal.tenantId, name: input.name, normalizedName, createdAt: now, archivedAt: null }
          yield* r.departments.insert(department)
          yield* r.activity.append([
            yield* activityEvent(principal, now, "department.created", { subjectId: id, conversationId: null, contactId: null, after: { name: input.name } }),
          ])
          return department
        }),
    )
  }),
)
