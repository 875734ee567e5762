import type { Transition } from "../shared/transition"
import { changedTo } from "../shared/transition"
import type { Contact } from "./contact"

/**
 * What transforming a contact into type `to` does, once the tenant allowed the transition: the
 * contact takes the type and the next version, and the event records the type before and after
 * with the reason given (or `null`). Every transformation is recorded, as the tenant allowed it.
 *
 * @example
 * ```ts
 * import { contactTypeTransition, type Contact } from "rmc-details"
 * declare const contact: Contact
 * const t = contactTypeTransition(contact, "Client", "Signed the quote")
 * ```
 */
export const contactTypeTransition = (contact: Contact, to: string, reason: string | undefined): Transition<Contact> =>
  changedTo(
    { ...contact, type: to, version: contact.version + 1 },
    {
      type: "contact.type_changed",
      subjectId: contact.id,
      conversationId: null,
      contactId: contact.id,
      before: { type: contact.type },
      after: { type: to, reason: reason ?? null },
    },
  )
