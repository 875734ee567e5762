import { archiveCatalogRecord } from "./support/catalog-commands"
import { defineUseCase } from "./support/use-case"

/**
 * Archives a label (supervisor, admin): it can no longer be applied and stays on the conversations that have it. Archiving twice changes nothing.
 *
 * @example
 * ```ts
 * import { archiveLabel } from "rmc-details"
 * const program = archiveLabel({ tenantId: "acme", agentId: "sam", role: "supervisor" }, { labelId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11" })
 * ```
 */
export const archiveLabel = defineUseCase("archiveLabel", (principal, input) => archiveCatalogRecord(principal, "label", input.labelId, "label.archived"))
