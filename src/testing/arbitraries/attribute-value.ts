import fc from "fast-check"
import type { AttributeDefinition, AttributeValue } from "../../domain/attribute/attribute-definition"
import { phoneNumber } from "./phone-number"

const day = fc
  .date({ min: new Date("1900-01-01T00:00:00.000Z"), max: new Date("2199-12-31T00:00:00.000Z"), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10))

/**
 * Values that an attribute of this definition accepts, written as a caller might: text with
 * surrounding spaces, any finite number, a `YYYY-MM-DD` day, an option in any case, an http(s) URL,
 * an e-mail address in any case, a phone number that `defaultRegion` reads.
 *
 * @example
 * ```ts
 * import fc from "fast-check"
 * import { attributeValue } from "rmc-details/testing"
 * fc.sample(attributeValue({ type: "enum", options: ["Gold", "Silver"] }), 2)
 * ```
 */
export const attributeValue = (
  definition: { readonly type: AttributeDefinition["type"]; readonly options: ReadonlyArray<string> },
  defaultRegion = "FR",
): fc.Arbitrary<AttributeValue> => {
  switch (definition.type) {
    case "text":
      return fc
        .string({ minLength: 1, maxLength: 60 })
        .filter((s) => s.trim().length > 0 && !/\p{Cc}/u.test(s))
        .map((s) => (s.length % 2 === 0 ? ` ${s}` : s))
    case "number":
      return fc.oneof(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }))
    case "boolean":
      return fc.boolean()
    case "date":
      return day
    case "enum":
      return fc.constantFrom(...definition.options).chain((option) => fc.constantFrom(option, option.toUpperCase(), option.toLowerCase()))
    case "url":
      return fc.webUrl({ validSchemes: ["https", "http"] }).filter((url) => url.length <= 400)
    case "email":
      return fc.stringMatching(/^[a-z0-9_+-]{1,20}@[a-z0-9]{1,15}\.[a-z]{2,6}$/).chain((email) => fc.constantFrom(email, email.toUpperCase()))
    case "phone":
      return phoneNumber({ defaultRegion })
  }
}
