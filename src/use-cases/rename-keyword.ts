import { renameCatalogRecord } from "./support/catalog-commands"
import { defineUseCase } from "./support/use-case"

/**
 * Renames a keyword (supervisor, admin). Names stay unique per tenant, ignoring case and accents:
 * a taken name fails with `NameTakenError`.
 *
 * @example
 * ```ts
 * import { renameKeyword } from "rmc-details"
 * const program = renameKeyword({ tenantId: "acme", agentId: "sam", role: "supervisor" }, { keywordId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11", name: "Billing" })
 * ```
 */
export const renameKeyword = defineUseCase("renameKeyword", (principal, input) =>
  renameCatalogRecord(principal, "keyword", input.keywordId, input.name, "keyword.renamed"),
)
