import * as z from "zod"
import { EntityId, ExternalId, Timestamp } from "../shared/ids"

/**
 * A colour as `#rrggbb`.
 *
 * @example
 * ```ts
 * import { Color } from "rmc-details"
 * Color.parse("#E11D48") // "#e11d48"
 * ```
 */
export const Color = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, "colour as #rrggbb")
  .transform((c) => c.toLowerCase())

/**
 * A label (étiquette): the operational state or nature of a conversation ("Hot prospect",
 * "Incident in progress"). Any agent selects an existing label or creates one on the spot with a
 * name and a colour; supervisors and admins rename and archive them.
 *
 * @example
 * ```ts
 * import type { Label } from "rmc-details"
 * const chip = (l: Label) => ({ id: l.id, name: l.name, color: l.color })
 * ```
 */
export const Label = z
  .object({
    id: EntityId,
    tenantId: ExternalId,
    name: z.string().min(1).max(80),
    normalizedName: z.string(),
    color: z.string().regex(/^#[0-9a-f]{6}$/),
    description: z.string().max(500).nullable(),
    createdBy: ExternalId,
    createdAt: Timestamp,
    archivedAt: Timestamp.nullable(),
  })
  .meta({ id: "Label" })
/** @see {@link Label} */
export type Label = z.infer<typeof Label>
