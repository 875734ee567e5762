import { changedFields } from "../shared/changed-fields"
import type { Transition } from "../shared/transition"
import { changedTo, unchanged } from "../shared/transition"
import type { Contact } from "./contact"

/**
 * The fields of a contact that `updateContact` changes, already normalised (phone numbers in
 * E.164, e-mail in lower case, channel handles in their canonical form).
 *
 * @example
 * ```ts
 * import type { ContactDetailsChange } from "rmc-details"
 * const change: ContactDetailsChange = { fullName: "Marie Curie", primaryPhone: null, phones: [], email: null, channelIdentities: [] }
 * ```
 */
export type ContactDetailsChange = Pick<Contact, "fullName" | "primaryPhone" | "phones" | "email" | "channelIdentities">

const tracked = ["fullName", "primaryPhone", "phones", "email", "channelIdentities"] as const

/**
 * What giving a contact the details `change` does: when any differs, the contact takes them and
 * the next version, and the event records only the fields that changed, before and after; the
 * details it already has change nothing.
 *
 * @example
 * ```ts
 * import { contactUpdateTransition, type Contact } from "rmc-details"
 * declare const contact: Contact
 * const t = contactUpdateTransition(contact, { ...contact, email: "marie@example.com" })
 * ```
 */
export const contactUpdateTransition = (contact: Contact, change: ContactDetailsChange): Transition<Contact> => {
  const next: Contact = {
    ...contact,
    fullName: change.fullName,
    primaryPhone: change.primaryPhone,
    phones: [...change.phones],
    email: change.email,
    channelIdentities: [...change.channelIdentities],
    version: contact.version + 1,
  }
  const fields = changedFields(contact, next, tracked)
  return fields === null
    ? unchanged
    : changedTo(next, {
        type: "contact.updated",
        subjectId: contact.id,
        conversationId: null,
        contactId: contact.id,
        before: fields.before,
        after: fields.after,
      })
}
