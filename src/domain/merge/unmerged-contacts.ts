import type { Contact } from "../contact/contact"
import { type ContactIdentity, identityKey, identityOfHandle } from "../contact/contact-identity"
import type { ContactMerge, MergeAttributeValues } from "./contact-merge"

const restoredFields = ["fullName", "type", "email", "primaryPhone", "lastActivityAt"] as const

/**
 * The primary contact as an unmerge leaves it, from the contact as it is now (`current`) and the
 * merge's record. A field (name, type, e-mail, primary phone, last activity) goes back to its
 * value before the merge only if it still has the value the merge gave it: a change made since
 * the merge stays. The phones and channel identities the merge added leave it (they go back to
 * the secondary, see {@link restoredSecondary}); those added since stay. A type goes back only if
 * it is still one of `contactTypes`, the tenant's catalog.
 *
 * @example
 * ```ts
 * import { unmergedPrimary, type Contact, type ContactMerge } from "rmc-details"
 * declare const current: Contact
 * declare const merge: ContactMerge
 * unmergedPrimary(current, merge, ["Lead", "Client"]).version === current.version + 1
 * ```
 */
export const unmergedPrimary = (current: Contact, merge: ContactMerge, contactTypes: ReadonlyArray<string>): Contact => {
  const before = merge.primaryBefore
  const after = merge.primaryAfter
  const next: Contact = { ...current, version: current.version + 1 }
  const writable = next as { -readonly [K in keyof Contact]: Contact[K] }
  for (const field of restoredFields) if (current[field] === after[field]) (writable as Record<string, unknown>)[field] = before[field]
  if (!contactTypes.includes(writable.type)) writable.type = current.type
  const addedPhones = new Set(after.phones.filter((n) => !before.phones.includes(n)))
  const handleKey = (i: Contact["channelIdentities"][number]) => identityKey(identityOfHandle(i.channel, i.handle))
  const hadHandles = new Set(before.channelIdentities.map(handleKey))
  const addedHandles = new Set(after.channelIdentities.map(handleKey).filter((k) => !hadHandles.has(k)))
  writable.phones = current.phones.filter((n) => !addedPhones.has(n))
  writable.channelIdentities = current.channelIdentities.filter((i) => !addedHandles.has(handleKey(i)))
  return next
}

/**
 * The custom attribute values the primary contact gets back from an unmerge, from its values now:
 * a value goes back to what it was before the merge (or away, if it had none) only if it still
 * has the value the merge gave it (or still has none); others stay. Answers the values to write
 * and the keys to remove.
 *
 * @example
 * ```ts
 * import { unmergedAttributes, type ContactMerge } from "rmc-details"
 * declare const merge: ContactMerge
 * unmergedAttributes({ tier: "Gold" }, merge).remove
 * ```
 */
export const unmergedAttributes = (
  current: MergeAttributeValues,
  merge: ContactMerge,
): { readonly put: MergeAttributeValues; readonly remove: ReadonlyArray<string> } => {
  const before = merge.primaryAttributesBefore
  const after = merge.primaryAttributesAfter
  const put: Record<string, MergeAttributeValues[string]> = {}
  const remove: Array<string> = []
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (current[key] !== after[key] || before[key] === after[key]) continue
    const old = before[key]
    if (old === undefined) remove.push(key)
    else put[key] = old
  }
  return { put, remove }
}

/**
 * The secondary contact as an unmerge brings it back: as it was just before the merge, but for
 * the identities it cannot get back (`free` answers `false` for one another contact of the
 * tenant holds now, the primary included), which it goes without, and for its type, the
 * tombstone's (a change of the type catalog since the merge moved it on). Its version follows the
 * tombstone's.
 *
 * @example
 * ```ts
 * import { restoredSecondary, type Contact, type ContactMerge } from "rmc-details"
 * declare const tombstone: Contact
 * declare const merge: ContactMerge
 * restoredSecondary(tombstone, merge, () => true).mergedInto // null
 * ```
 */
export const restoredSecondary = (tombstone: Contact, merge: ContactMerge, free: (identity: ContactIdentity) => boolean): Contact => {
  const before = merge.secondaryBefore
  const phone = (n: string) => free({ kind: "phone", value: n })
  return {
    ...before,
    primaryPhone: before.primaryPhone !== null && phone(before.primaryPhone) ? before.primaryPhone : null,
    phones: before.phones.filter(phone),
    email: before.email !== null && free({ kind: "email", value: before.email.toLowerCase() }) ? before.email : null,
    channelIdentities: before.channelIdentities.filter((i) => free(identityOfHandle(i.channel, i.handle))),
    type: tombstone.type,
    mergedInto: null,
    mergedAt: null,
    version: tombstone.version + 1,
  }
}
