import { listCatalog } from "./support/catalog-commands"
import { defineUseCase } from "./support/use-case"

/**
 * The tenant's departments, live ones only unless `includeArchived`, sorted by name.
 *
 * @example
 * ```ts
 * import { listDepartments } from "rmc-details"
 * const program = listDepartments({ tenantId: "acme", agentId: "alice", role: "agent" }, { includeArchived: false })
 * ```
 */
export const listDepartments = defineUseCase("listDepartments", (principal, input) => listCatalog(principal, "department", input.includeArchived))
