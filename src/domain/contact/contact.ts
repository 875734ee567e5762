import * as z from "zod"
import { EntityId, ExternalId, Timestamp } from "../shared/ids"
import { ChannelIdentity, phoneChannels } from "./channel"
import { E164 } from "./phone"

/**
 * A customer of a tenant, as the Details panel shows it.
 *
 * @example
 * ```ts
 * import type { Contact } from "rmc-details"
 * const name = (c: Contact) => c.fullName
 * ```
 */
export const Contact = z
  .object({
    id: EntityId,
    tenantId: ExternalId,
    fullName: z.string().min(1).max(200),
    type: z.string().min(1).max(50),
    primaryPhone: E164.nullable(),
    phones: z.array(E164),
    email: z.email().nullable(),
    channelIdentities: z.array(ChannelIdentity),
    createdAt: Timestamp,
    lastActivityAt: Timestamp,
    /** When the contact's personal data was erased (see `eraseContact`); `null` while it is kept. */
    erasedAt: Timestamp.nullable(),
    /** The contact this one was merged into (see `mergeContacts`); `null` unless it is a tombstone. */
    mergedInto: EntityId.nullable(),
    /** When it was merged; `null` unless it is a tombstone. */
    mergedAt: Timestamp.nullable(),
    version: z.number().int().positive(),
  })
  .meta({ id: "Contact" })
/** @see {@link Contact} */
export type Contact = z.infer<typeof Contact>

/**
 * Every number the contact can be called on: the primary phone first, then the other phones, then
 * the numbers of its phone-channel identities (WhatsApp, SMS, voice), without duplicates. A contact
 * known only by its WhatsApp number can be called on it.
 *
 * @example
 * ```ts
 * import { callableNumbers, type Contact } from "rmc-details"
 * declare const contact: Contact
 * callableNumbers(contact)
 * ```
 */
export const callableNumbers = (contact: Pick<Contact, "primaryPhone" | "phones" | "channelIdentities">): ReadonlyArray<string> => [
  ...new Set([
    ...(contact.primaryPhone === null ? [] : [contact.primaryPhone]),
    ...contact.phones,
    // Handles of phone channels are stored in E.164; the check keeps anything else out of a dial.
    ...contact.channelIdentities
      .filter((identity) => phoneChannels.has(identity.channel) && /^\+[1-9]\d{1,14}$/.test(identity.handle))
      .map((identity) => identity.handle),
  ]),
]
