import * as z from "zod"
import { EntityId, ExternalId, Timestamp } from "../shared/ids"

/**
 * An internal entity of the tenant a conversation is assigned to (Sales, Support, VoIP...).
 * An archived department can no longer be assigned but stays on past conversations.
 *
 * @example
 * ```ts
 * import type { Department } from "rmc-details"
 * const assignable = (d: Department) => d.archivedAt === null
 * ```
 */
export const Department = z
  .object({
    id: EntityId,
    tenantId: ExternalId,
    name: z.string().min(1).max(80),
    /** Name folded for the per-tenant uniqueness check, see `normalizeName`. */
    normalizedName: z.string(),
    createdAt: Timestamp,
    archivedAt: Timestamp.nullable(),
  })
  .meta({ id: "Department" })
/** @see {@link Department} */
export type Department = z.infer<typeof Department>
