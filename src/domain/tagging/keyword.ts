import * as z from "zod"
import { EntityId, ExternalId, Timestamp } from "../shared/ids"

/**
 * A keyword (mot-clé) of the tenant's central catalog: for search, filtering and reports.
 * Supervisors and admins manage the catalog (create, rename, archive, merge); agents attach and
 * detach existing, non-archived keywords. A keyword merged into another is archived and points
 * to it with `mergedIntoId`.
 *
 * @example
 * ```ts
 * import type { Keyword } from "rmc-details"
 * const usable = (k: Keyword) => k.archivedAt === null
 * ```
 */
export const Keyword = z
  .object({
    id: EntityId,
    tenantId: ExternalId,
    name: z.string().min(1).max(80),
    normalizedName: z.string(),
    createdAt: Timestamp,
    archivedAt: Timestamp.nullable(),
    mergedIntoId: EntityId.nullable(),
  })
  .meta({ id: "Keyword" })
/** @see {@link Keyword} */
export type Keyword = z.infer<typeof Keyword>
