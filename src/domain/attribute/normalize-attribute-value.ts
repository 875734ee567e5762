import * as z from "zod"
import { normalizePhone } from "../contact/phone"
import type { AttributeDefinition, AttributeValue } from "./attribute-definition"

/**
 * The outcome of checking a value against its definition: the value as it is stored (normalised),
 * or why it does not fit.
 *
 * @example
 * ```ts
 * import type { AttributeCheck } from "rmc-details"
 * const stored = (c: AttributeCheck) => (c.ok ? c.value : undefined)
 * ```
 */
export type AttributeCheck = { readonly ok: true; readonly value: AttributeValue } | { readonly ok: false; readonly problem: string }

const Email = z.email()
const controlCharacter = /\p{Cc}/u
const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/

const fits = (value: AttributeValue): AttributeCheck => ({ ok: true, value })
const fails = (problem: string): AttributeCheck => ({ ok: false, problem })

const calendarDay = (raw: string): string | undefined => {
  const match = isoDate.exec(raw)
  if (match === null) return undefined
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const date = new Date(0)
  // setUTCFullYear takes years below 100 as they are (Date.UTC would read 0050 as 1950), and rolls
  // 2026-02-30 over to March: a day that does not exist comes back different.
  date.setUTCFullYear(year, month - 1, day)
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day && year >= 1 ? raw : undefined
}

/**
 * Checks a value against its definition and normalises it: text trimmed (1 to 500 characters, on
 * one line), numbers finite, dates as `YYYY-MM-DD` days that exist, enum values matched to their
 * option ignoring case, URLs (http or https) in their canonical form, e-mails in lower case, phone
 * numbers in E.164 read with `region`.
 *
 * @example
 * ```ts
 * import { normalizeAttributeValue, type AttributeDefinition } from "rmc-details"
 * declare const phone: AttributeDefinition
 * normalizeAttributeValue(phone, "06 12 34 56 78", "FR") // { ok: true, value: "+33612345678" }
 * ```
 */
export const normalizeAttributeValue = (definition: Pick<AttributeDefinition, "type" | "options">, raw: AttributeValue, region: string): AttributeCheck => {
  // -0 is stored as 0: every store reads it back so.
  if (definition.type === "number") return typeof raw === "number" && Number.isFinite(raw) ? fits(raw === 0 ? 0 : raw) : fails("expected a finite number")
  if (definition.type === "boolean") return typeof raw === "boolean" ? fits(raw) : fails("expected true or false")
  if (typeof raw !== "string") return fails(`expected a string (${definition.type})`)
  const text = raw.trim()
  if (text.length === 0) return fails("empty: send null to clear a value")
  if (controlCharacter.test(text)) return fails("control characters are not allowed")
  switch (definition.type) {
    case "text":
      return text.length <= 500 ? fits(text) : fails("at most 500 characters")
    case "date": {
      const day = calendarDay(text)
      return day === undefined ? fails("expected a date as YYYY-MM-DD") : fits(day)
    }
    case "enum": {
      const option = definition.options.find((o) => o === text) ?? definition.options.find((o) => o.toLowerCase() === text.toLowerCase())
      return option === undefined ? fails(`expected one of: ${definition.options.join(", ")}`) : fits(option)
    }
    case "url": {
      const url = URL.canParse(text) ? new URL(text) : undefined
      if (url === undefined || (url.protocol !== "https:" && url.protocol !== "http:")) return fails("expected an http or https URL")
      return url.href.length <= 500 ? fits(url.href) : fails("at most 500 characters")
    }
    case "email": {
      const email = text.toLowerCase()
      return email.length <= 320 && Email.safeParse(email).success ? fits(email) : fails("expected an e-mail address")
    }
    case "phone": {
      const e164 = normalizePhone(text, region)
      return e164 === undefined ? fails("expected a phone number") : fits(e164)
    }
  }
}

/**
 * Whether a stored value fits its definition as it stands: of the definition's type and, for an
 * enum, one of its options. What the property tests hold every stored value to.
 *
 * @example
 * ```ts
 * import { valueFitsDefinition, type AttributeDefinition } from "rmc-details"
 * declare const tier: AttributeDefinition
 * valueFitsDefinition(tier, "Gold")
 * ```
 */
export const valueFitsDefinition = (definition: Pick<AttributeDefinition, "type" | "options">, value: AttributeValue): boolean => {
  const check = normalizeAttributeValue(definition, value, "US")
  // Phone numbers are stored in E.164, which reads the same with any region.
  return check.ok && check.value === value
}

/**
 * The text a store compares a value by: the value itself for strings, `true`/`false` for booleans,
 * the shortest decimal form for numbers. Equal values have equal texts, and dates (`YYYY-MM-DD`)
 * sort as their texts do.
 *
 * @example
 * ```ts
 * import { attributeText } from "rmc-details"
 * attributeText(12.5) // "12.5"
 * ```
 */
export const attributeText = (value: AttributeValue): string => String(value)
