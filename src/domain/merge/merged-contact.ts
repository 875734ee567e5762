import type { Contact } from "../contact/contact"
import { identityKey, identityOfHandle } from "../contact/contact-identity"
import type { MergeAttributeValues } from "./contact-merge"
import type { MergeChoices } from "./merge-preview"

/**
 * One side of a merge: a contact and its custom attribute values.
 *
 * @example
 * ```ts
 * import type { Contact, MergeSide } from "rmc-details"
 * declare const contact: Contact
 * const side: MergeSide = { contact, attributes: { tier: "Gold" } }
 * ```
 */
export interface MergeSide {
  readonly contact: Contact
  readonly attributes: MergeAttributeValues
}

const unique = <A>(values: ReadonlyArray<A>, keyOf: (value: A) => string): Array<A> => {
  const seen = new Set<string>()
  return values.filter((value) => {
    const k = keyOf(value)
    if (seen.has(k)) return false
    seen.add(k)
    return true
  })
}

/**
 * The primary contact as a merge leaves it, with its custom attribute values. Each conflicting
 * field takes the value `choose` names (the primary's by default); a field only one contact has
 * a value for takes that value. Nothing identifying is lost: the primary gets every phone of both
 * (the primary phone not kept becomes another phone), an e-mail address not kept becomes an
 * `email` channel identity, and every channel identity of both. Its last activity is the later of
 * both; its creation time stays; its version moves by 1.
 *
 * @example
 * ```ts
 * import { mergedContact, type Contact } from "rmc-details"
 * declare const primary: Contact
 * declare const secondary: Contact
 * mergedContact({ contact: primary, attributes: {} }, { contact: secondary, attributes: {} }, { fullName: "secondary" })
 * ```
 */
export const mergedContact = (primary: MergeSide, secondary: MergeSide, choose: MergeChoices): MergeSide => {
  const p = primary.contact
  const s = secondary.contact
  const pick = <K extends "fullName" | "type" | "email" | "primaryPhone">(field: K): Contact[K] => {
    const [first, second] = choose[field] === "secondary" ? [s[field], p[field]] : [p[field], s[field]]
    return (first ?? second) as Contact[K]
  }
  const primaryPhone = pick("primaryPhone")
  const phones = unique(
    [...p.phones, ...s.phones, ...[p.primaryPhone, s.primaryPhone].filter((n): n is string => n !== null)].filter((n) => n !== primaryPhone),
    (n) => n,
  )
  const email = pick("email")
  const otherEmails = [p.email, s.email].filter((e): e is string => e !== null && e.toLowerCase() !== email?.toLowerCase())
  const channelIdentities = unique(
    [...p.channelIdentities, ...s.channelIdentities, ...otherEmails.map((handle) => ({ channel: "email" as const, handle: handle.toLowerCase() }))],
    (i) => identityKey(identityOfHandle(i.channel, i.handle)),
  )
  const attributes: Record<string, MergeAttributeValues[string]> = { ...secondary.attributes, ...primary.attributes }
  for (const [key, value] of Object.entries(secondary.attributes)) if (choose[`attributes.${key}`] === "secondary") attributes[key] = value
  return {
    contact: {
      ...p,
      fullName: pick("fullName"),
      type: pick("type"),
      primaryPhone,
      phones,
      email,
      channelIdentities,
      // Timestamps compare as text: the later of both sorts last.
      lastActivityAt: [p.lastActivityAt, s.lastActivityAt].sort()[1] ?? p.lastActivityAt,
      version: p.version + 1,
    },
    attributes,
  }
}

/**
 * The secondary contact as a merge leaves it: a tombstone that points to the primary. It keeps its
 * name and type but no identity, so that the primary can hold them (identities are unique per
 * tenant); the merge record keeps it whole for an unmerge.
 *
 * @example
 * ```ts
 * import { contactTombstone, type Contact } from "rmc-details"
 * declare const secondary: Contact
 * contactTombstone(secondary, "0194...", "2026-12-07T10:00:00.000Z").mergedInto // "0194..."
 * ```
 */
export const contactTombstone = (secondary: Contact, primaryId: string, at: string): Contact => ({
  ...secondary,
  primaryPhone: null,
  phones: [],
  email: null,
  channelIdentities: [],
  mergedInto: primaryId,
  mergedAt: at,
  version: secondary.version + 1,
})
