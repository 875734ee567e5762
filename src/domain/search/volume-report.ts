import * as z from "zod"
import { AttributeKey } from "../attribute/attribute-definition"
import { TimestampInput } from "../shared/ids"

/**
 * What a volume report counts conversations by: `attribute` counts them by the value of an `enum`
 * custom attribute (of the conversation or of its contact) named by `attributeKey`.
 *
 * @example
 * ```ts
 * import { ReportDimension } from "rmc-details"
 * ReportDimension.parse("department")
 * ```
 */
export const ReportDimension = z.enum(["department", "keyword", "label", "channel", "attribute"])
/** @see {@link ReportDimension} */
export type ReportDimension = z.infer<typeof ReportDimension>

/**
 * A volume report request: conversations created in `[from, to)` counted by `dimension`, with
 * `attributeKey` (an `enum` attribute) when, and only when, the dimension is `attribute`. Unknown
 * fields are refused.
 *
 * @example
 * ```ts
 * import { VolumeReportRequest } from "rmc-details"
 * VolumeReportRequest.parse({ dimension: "channel", from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z" })
 * ```
 */
export const VolumeReportRequest = z
  .strictObject({
    dimension: ReportDimension,
    attributeKey: AttributeKey.optional(),
    from: TimestampInput,
    to: TimestampInput,
  })
  .refine((r) => (r.dimension === "attribute") === (r.attributeKey !== undefined), {
    message: "give attributeKey with the attribute dimension, and only with it",
    path: ["attributeKey"],
  })
/** @see {@link VolumeReportRequest} */
export type VolumeReportRequest = z.infer<typeof VolumeReportRequest>

/**
 * One row of a volume report: the key (a department, keyword or label id, a channel, or an
 * attribute's option), its name, and the number of conversations. Conversations with no
 * department, or no value of the attribute, are counted under the key `null`; a conversation with
 * two keywords counts once for each.
 *
 * @example
 * ```ts
 * import type { VolumeRow } from "rmc-details"
 * const row: VolumeRow = { key: "whatsapp", name: "whatsapp", count: 12 }
 * ```
 */
export const VolumeRow = z
  .object({
    key: z.string().nullable(),
    name: z.string().nullable(),
    count: z.number().int().nonnegative(),
  })
  .meta({ id: "VolumeRow" })
/** @see {@link VolumeRow} */
export type VolumeRow = z.infer<typeof VolumeRow>
