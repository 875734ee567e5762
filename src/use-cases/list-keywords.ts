import { listCatalog } from "./support/catalog-commands"
import { defineUseCase } from "./support/use-case"

/**
 * The tenant's keyword catalog, live ones only unless `includeArchived`, sorted by name.
 *
 * @example
 * ```ts
 * import { listKeywords } from "rmc-details"
 * const program = listKeywords({ tenantId: "acme", agentId: "alice", role: "agent" }, { includeArchived: false })
 * ```
 */
export const listKeywords = defineUseCase("listKeywords", (principal, input) => listCatalog(principal, "keyword", input.includeArchived))
