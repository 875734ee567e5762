import * as z from "zod"
import { AttributeValue } from "../attribute/attribute-definition"
import { Contact } from "../contact/contact"
import { ContactIdentity } from "../contact/contact-identity"
import { E164 } from "../contact/phone"
import type { MergeAttributeValues } from "./contact-merge"

/**
 * A field of a contact that two contacts can disagree on in a merge: `fullName`, `type`, `email`,
 * `primaryPhone`, or a custom attribute as `attributes.<key>`.
 *
 * @example
 * ```ts
 * import { MergeField } from "rmc-details"
 * MergeField.parse("attributes.customer_tier")
 * ```
 */
export const MergeField = z
  .string()
  .regex(/^(fullName|type|email|primaryPhone|attributes\.[a-z][a-z0-9_]{0,49})$/, "fullName, type, email, primaryPhone or attributes.<key>")
  .meta({ id: "MergeField" })
/** @see {@link MergeField} */
export type MergeField = z.infer<typeof MergeField>

/**
 * Which contact's value a merge keeps for each conflicting field; a field left out keeps the
 * primary's.
 *
 * @example
 * ```ts
 * import type { MergeChoices } from "rmc-details"
 * const choose: MergeChoices = { fullName: "secondary" }
 * ```
 */
export const MergeChoices = z.record(MergeField, z.enum(["primary", "secondary"])).meta({ id: "MergeChoices" })
/** @see {@link MergeChoices} */
export type MergeChoices = z.infer<typeof MergeChoices>

/**
 * A field both contacts have a value for, with different values: a merge keeps one (see
 * {@link MergeChoices}).
 *
 * @example
 * ```ts
 * import type { MergeConflict } from "rmc-details"
 * const conflict: MergeConflict = { field: "fullName", primary: "Marie Curie", secondary: "M. Curie" }
 * ```
 */
export const MergeConflict = z.object({ field: MergeField, primary: AttributeValue, secondary: AttributeValue }).meta({ id: "MergeConflict" })
/** @see {@link MergeConflict} */
export type MergeConflict = z.infer<typeof MergeConflict>

/**
 * What `previewMerge` answers: both contacts, what would move from the secondary to the primary
 * (how many conversations, notes, calls and activity events; the identities and phone numbers the
 * primary would gain) and every conflicting field with both values. Nothing is written.
 *
 * @example
 * ```ts
 * import type { MergePreview } from "rmc-details"
 * const fields = (p: MergePreview) => p.conflicts.map((c) => c.field)
 * ```
 */
export const MergePreview = z
  .object({
    primary: Contact,
    secondary: Contact,
    moves: z.object({
      conversations: z.number().int().nonnegative(),
      notes: z.number().int().nonnegative(),
      calls: z.number().int().nonnegative(),
      activity: z.number().int().nonnegative(),
      identities: z.array(ContactIdentity),
      phones: z.array(E164),
    }),
    conflicts: z.array(MergeConflict),
  })
  .meta({ id: "MergePreview" })
/** @see {@link MergePreview} */
export type MergePreview = z.infer<typeof MergePreview>

/**
 * The fields on which two contacts (with their custom attribute values) disagree: both have a
 * value and the values differ (e-mail addresses compared case-insensitively). A value only one of
 * them has is no conflict: the merged contact keeps it.
 *
 * @example
 * ```ts
 * import { mergeConflicts, type Contact } from "rmc-details"
 * declare const primary: Contact
 * declare const secondary: Contact
 * mergeConflicts({ contact: primary, attributes: {} }, { contact: secondary, attributes: {} })
 * ```
 */
export const mergeConflicts = (
  primary: { readonly contact: Contact; readonly attributes: MergeAttributeValues },
  secondary: { readonly contact: Contact; readonly attributes: MergeAttributeValues },
): ReadonlyArray<MergeConflict> => {
  const p = primary.contact
  const s = secondary.contact
  const conflicts: Array<MergeConflict> = []
  if (p.fullName !== s.fullName) conflicts.push({ field: "fullName", primary: p.fullName, secondary: s.fullName })
  if (p.type !== s.type) conflicts.push({ field: "type", primary: p.type, secondary: s.type })
  if (p.email !== null && s.email !== null && p.email.toLowerCase() !== s.email.toLowerCase())
    conflicts.push({ field: "email", primary: p.email, secondary: s.email })
  if (p.primaryPhone !== null && s.primaryPhone !== null && p.primaryPhone !== s.primaryPhone)
    conflicts.push({ field: "primaryPhone", primary: p.primaryPhone, secondary: s.primaryPhone })
  for (const key of Object.keys(primary.attributes).sort()) {
    const mine = primary.attributes[key]
    const theirs = secondary.attributes[key]
    if (mine !== undefined && theirs !== undefined && mine !== theirs) conflicts.push({ field: `attributes.${key}`, primary: mine, secondary: theirs })
  }
  return conflicts
}
