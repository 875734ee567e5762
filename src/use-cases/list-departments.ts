import { listCatalog } from "./support/catalog-commands"
import { defineUseCase } from "./support/use-case"

/**
 * The tenant's departments, one page at a time, sorted by name:
 * live ones only unless `includeArchived`, and with `query` only those whose name contains it
 * (ignoring case, accents and spacing).
 *
 * @example
 * ```ts
 * import { listDepartments } from "rmc-details"
 * const program = listDepartments({ tenantId: "acme", agentId: "alice", role: "agent" }, { query: "sup", limit: 20 })
 * ```
 */
export const listDepartments = defineUseCase("listDepartments", (principal, input) => listCatalog(principal, "department", input))
