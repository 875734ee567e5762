import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/max"
import * as z from "zod"

/**
 * A phone number in E.164 form (`+33612345678`).
 *
 * @example
 * ```ts
 * import { E164 } from "rmc-details"
 * E164.parse("+33612345678")
 * ```
 */
export const E164 = z.string().regex(/^\+[1-9]\d{6,14}$/, "E.164 phone number")
/** @see {@link E164} */
export type E164 = z.infer<typeof E164>

/**
 * An ISO 3166-1 alpha-2 region used to read national numbers (`"FR"`, `"US"`...).
 *
 * @example
 * ```ts
 * import { Region } from "rmc-details"
 * Region.parse("FR")
 * ```
 */
export const Region = z.string().regex(/^[A-Z]{2}$/, "ISO 3166-1 alpha-2 region")
/** @see {@link Region} */
export type Region = z.infer<typeof Region>

/**
 * Normalises a phone number written by a person to E.164, reading national numbers with
 * `defaultRegion`. Returns `undefined` for a number that is not a valid one.
 *
 * @example
 * ```ts
 * import { normalizePhone } from "rmc-details"
 * normalizePhone("06 12 34 56 78", "FR") // "+33612345678"
 * normalizePhone("hello", "FR") // undefined
 * ```
 */
export const normalizePhone = (raw: string, defaultRegion: string): E164 | undefined => {
  const parsed = parsePhoneNumberFromString(raw, defaultRegion as CountryCode)
  return parsed?.isValid() ? parsed.number : undefined
}
