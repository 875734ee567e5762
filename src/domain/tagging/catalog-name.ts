import { text } from "../shared/text"
import { normalizeName } from "./normalize-name"

/**
 * The most characters of a catalog name, and of its normalised form (see `normalizeName`): both
 * are stored, in columns of this size.
 *
 * @example
 * ```ts
 * import { catalogNameMaxLength } from "rmc-details"
 * catalogNameMaxLength // 80
 * ```
 */
export const catalogNameMaxLength = 80

/**
 * Schema of a catalog name given by a caller (keyword, label, department): trimmed, 1 to 80
 * characters (code points), a text without control characters; once normalised (see `normalizeName`), still at
 * most 80 characters (compatibility forms such as "ﬃ" grow when decomposed) and at least one letter
 * or digit (a name made of invisible characters is refused).
 *
 * @example
 * ```ts
 * import { CatalogName } from "rmc-details"
 * CatalogName.parse("  Support niveau 1 ") // "Support niveau 1"
 * CatalogName.safeParse("\uFB03".repeat(80)).success // false: 240 characters once normalised
 * ```
 */
export const CatalogName = text({ min: 1, max: catalogNameMaxLength })
  .refine((name) => /[\p{L}\p{N}]/u.test(normalizeName(name)), "must contain a letter or a digit")
  .refine(
    // Counted in code points, as the database column counts characters.
    (name) => [...normalizeName(name)].length <= catalogNameMaxLength,
    `must be at most ${catalogNameMaxLength} characters once normalised (compatibility forms such as "ﬃ" count as their decomposition)`,
  )
