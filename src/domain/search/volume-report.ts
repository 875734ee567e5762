import * as z from "zod"
import { TimestampInput } from "../shared/ids"

/**
 * What a volume report counts conversations by.
 *
 * @example
 * ```ts
 * import { ReportDimension } from "rmc-details"
 * ReportDimension.parse("department")
 * ```
 */
export const ReportDimension = z.enum(["department", "keyword", "label", "channel"])
/** @see {@link ReportDimension} */
export type ReportDimension = z.infer<typeof ReportDimension>

/**
 * A volume report request: conversations created in `[from, to)` counted by `dimension`. Unknown
 * fields are refused.
 *
 * @example
 * ```ts
 * import { VolumeReportRequest } from "rmc-details"
 * VolumeReportRequest.parse({ dimension: "channel", from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z" })
 * ```
 */
export const VolumeReportRequest = z.strictObject({
  dimension: ReportDimension,
  from: TimestampInput,
  to: TimestampInput,
})
/** @see {@link VolumeReportRequest} */
export type VolumeReportRequest = z.infer<typeof VolumeReportRequest>

/**
 * One row of a volume report: the key (a department, keyword or label id, or a channel), its
 * name, and the number of conversations. Conversations with no department are counted under the
 * key `null`; a conversation with two keywords counts once for each.
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
