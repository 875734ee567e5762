import { archiveCatalogRecord } from "./support/catalog-commands"
import { defineUseCase } from "./support/use-case"

/**
 * Archives a keyword (supervisor, admin): it can no longer be attached and stays on the conversations that have it. Archiving twice changes nothing.
 *
 * @example
 * ```ts
 * import { archiveKeyword } from "rmc-details"
 * const program = archiveKeyword({ tenantId: "acme", agentId: "sam", role: "supervisor" }, { keywordId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11" })
 * ```
 */
export const archiveKeyword = defineUseCase("archiveKeyword", (principal, input) =>
  archiveCatalogRecord(principal, "keyword", input.keywordId, "keyword.archived"),
)
