import { listCatalog } from "./support/catalog-commands"
import { defineUseCase } from "./support/use-case"

/**
 * The tenant's labels, live ones only unless `includeArchived`, sorted by name.
 *
 * @example
 * ```ts
 * import { listLabels } from "rmc-details"
 * const program = listLabels({ tenantId: "acme", agentId: "alice", role: "agent" }, { includeArchived: false })
 * ```
 */
export const listLabels = defineUseCase("listLabels", (principal, input) => listCatalog(principal, "label", input.includeArchived))
