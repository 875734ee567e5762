import { listCatalog } from "./support/catalog-commands"
import { defineUseCase } from "./support/use-case"

/**
 * The tenant's labels, one page at a time, sorted by name:
 * live ones only unless `includeArchived`, and with `query` only those whose name contains it
 * (ignoring case, accents and spacing).
 *
 * @example
 * ```ts
 * import { listLabels } from "rmc-details"
 * const program = listLabels({ tenantId: "acme", agentId: "alice", role: "agent" }, { query: "sup", limit: 20 })
 * ```
 */
export const listLabels = defineUseCase("listLabels", (principal, input) => listCatalog(principal, "label", input))
