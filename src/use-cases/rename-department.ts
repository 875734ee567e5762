import { renameCatalogRecord } from "./support/catalog-commands"
import { defineUseCase } from "./support/use-case"

/**
 * Renames a department (supervisor, admin). Names stay unique per tenant, ignoring case and accents:
 * a taken name fails with `NameTakenError`.
 *
 * @example
 * ```ts
 * import { renameDepartment } from "rmc-details"
 * const program = renameDepartment({ tenantId: "acme", agentId: "sam", role: "supervisor" }, { departmentId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11", name: "Billing" })
 * ```
 */
export const renameDepartment = defineUseCase("renameDepartment", (principal, input) =>
  renameCatalogRecord(principal, "department", input.departmentId, input.name, "department.renamed"),
)
