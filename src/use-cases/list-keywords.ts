import { listCatalog } from "./support/catalog-commands"
import { defineUseCase } from "./support/use-case"

/**
 * The tenant's keyword catalog, one page at a time, sorted by name:
 * live ones only unless `includeArchived`, and with `query` only those whose name contains it
 * (ignoring case, accents and spacing).
 *
 * @example
 * ```ts
 * import { listKeywords } from "rmc-details"
 * const program = listKeywords({ tenantId: "acme", agentId: "alice", role: "agent" }, { query: "sup", limit: 20 })
 * ```
 */
export const listKeywords = defineUseCase("listKeywords", (principal, input) => listCatalog(principal, "keyword", input))
