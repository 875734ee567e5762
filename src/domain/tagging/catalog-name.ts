import * as z from "zod"

/**
 * Schema of a catalog name given by a caller (keyword, label, department): trimmed, 1 to 80
 * characters, at least one letter or digit.
 *
 * @example
 * ```ts
 * import { CatalogName } from "rmc-details"
 * CatalogName.parse("  Support niveau 1 ") // "Support niveau 1"
 * ```
 */
export const CatalogName = z
  .string()
  .trim()
  .min(1)
  .max(80)
  .regex(/[\p{L}\p{N}]/u, "must contain a letter or a digit")
