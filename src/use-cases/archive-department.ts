import { archiveCatalogRecord } from "./support/catalog-commands"
import { defineUseCase } from "./support/use-case"

/**
 * Archives a department (supervisor, admin): it can no longer be assigned and stays on the conversations that have it. Archiving twice changes nothing.
 *
 * @example
 * ```ts
 * import { archiveDepartment } from "rmc-details"
 * const program = archiveDepartment({ tenantId: "acme", agentId: "sam", role: "supervisor" }, { departmentId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11" })
 * ```
 */
export const archiveDepartment = defineUseCase("archiveDepartment", (principal, input) =>
  archiveCatalogRecord(principal, "department", input.departmentId, "department.archived"),
)
