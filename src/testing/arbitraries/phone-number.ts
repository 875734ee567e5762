import fc from "fast-check"
import { type CountryCode, getCountries, getExampleNumber, parsePhoneNumberFromString } from "libphonenumber-js/max"
import examples from "libphonenumber-js/mobile/examples"
import { normalizePhone } from "../../domain/contact/phone"

/**
 * The regions for which libphonenumber has an example mobile number: every region that the kit's
 * phone numbers and tenant settings use.
 *
 * @example
 * ```ts
 * import { phoneRegions } from "rmc-details/testing"
 * phoneRegions.includes("FR") // true
 * ```
 */
export const phoneRegions: ReadonlyArray<string> = getCountries().filter((region) => getExampleNumber(region, examples)?.isValid() === true)

/**
 * What {@link phoneNumber} draws from.
 *
 * @example
 * ```ts
 * import type { PhoneNumberOptions } from "rmc-details/testing"
 * const french: PhoneNumberOptions = { defaultRegion: "FR", regions: ["FR"] }
 * ```
 */
export interface PhoneNumberOptions {
  /** The tenant's default region: numbers of this region may also be written in national format. `FR` by default. */
  readonly defaultRegion?: string | undefined
  /** The regions the numbers belong to: {@link phoneRegions} by default. */
  readonly regions?: ReadonlyArray<string> | undefined
}

/**
 * Mobile phone numbers that libphonenumber holds valid, as a caller writes them: in E.164
 * (`+33612345678`), in international format (`+33 6 12 34 56 78`) or, for numbers of the default
 * region, in national format (`06 12 34 56 78`). Every one normalises to E.164 with the tenant's
 * default region, so contacts, channel identities and calls accept it.
 *
 * @example
 * ```ts
 * import fc from "fast-check"
 * import { phoneNumber } from "rmc-details/testing"
 * fc.sample(phoneNumber({ defaultRegion: "BE" }), 3) // e.g. ["0470 12 34 56", "+44 7400 123456", ...]
 * ```
 */
export const phoneNumber = (options: PhoneNumberOptions = {}): fc.Arbitrary<string> => {
  const defaultRegion = options.defaultRegion ?? "FR"
  const regions = (options.regions ?? phoneRegions).filter((region) => phoneRegions.includes(region))
  if (regions.length === 0) throw new Error("phoneNumber: none of the regions has example numbers")
  return fc
    .record({
      region: fc.constantFrom(...regions),
      // The example number with up to four of its last digits replaced, kept only when still valid.
      tail: fc.stringMatching(/^\d{0,4}$/),
      format: fc.constantFrom("E.164", "INTERNATIONAL", "NATIONAL"),
    })
    .map(({ region, tail, format }) => {
      const example = getExampleNumber(region as CountryCode, examples)!
      const national = example.nationalNumber as string
      const mutated = `+${example.countryCallingCode}${national.slice(0, national.length - tail.length)}${tail}`
      const candidate = normalizePhone(mutated, region) === undefined ? example.number : mutated
      const parsed = parsePhoneNumberFromString(candidate, region as CountryCode)!
      if (format === "E.164") return parsed.number
      // National format only for the tenant's own region: that is the region it is read back with.
      return format === "NATIONAL" && parsed.country === defaultRegion ? parsed.formatNational() : parsed.formatInternational()
    })
}
