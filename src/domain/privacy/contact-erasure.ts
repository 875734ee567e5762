import * as z from "zod"
import { Contact } from "../contact/contact"
import { ExternalId, Timestamp } from "../shared/ids"

/**
 * What an erasure did (the answer of `eraseContact`): the erased contact, who erased it, when and
 * why, and how many records of each kind were anonymised. The same facts, but the contact, are the
 * `after` of its `contact.erased` event: the audit record, which outlives the erasure.
 *
 * @example
 * ```ts
 * import type { ContactErasure } from "rmc-details"
 * const summary = (e: ContactErasure) => `${e.notes} notes, ${e.events} events, ${e.calls} calls erased by ${e.erasedBy}`
 * ```
 */
export const ContactErasure = z
  .object({
    contact: Contact,
    erasedAt: Timestamp,
    erasedBy: ExternalId,
    reason: z.string(),
    /** Notes about the contact (on it and on its conversations), deleted ones included. */
    notes: z.number().int().nonnegative(),
    /** Activity events about the contact and its conversations whose values were erased. */
    events: z.number().int().nonnegative(),
    /** Call attempts to the contact whose provider data was erased. */
    calls: z.number().int().nonnegative(),
    /** Webhook dead letters of its events whose values were erased. */
    deadLetters: z.number().int().nonnegative(),
    /** Custom attribute values removed (see `typesKeptOnErasure`). */
    attributeValues: z.number().int().nonnegative(),
  })
  .meta({ id: "ContactErasure" })
/** @see {@link ContactErasure} */
export type ContactErasure = z.infer<typeof ContactErasure>
