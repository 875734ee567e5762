import type { ActivityChange } from "../activity/activity-change"
import type { ChannelIdentity } from "./channel"
import type { Contact } from "./contact"

/**
 * What a new contact is made of, already normalised: phone numbers in E.164, the e-mail address
 * case-folded, channel handles normalised, the type checked against the tenant's catalog.
 *
 * @example
 * ```ts
 * import type { NewContactFields } from "rmc-details"
 * const fields: NewContactFields = {
 *   id: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11", tenantId: "acme", fullName: "Marie Curie", type: "Lead",
 *   primaryPhone: "+33612345678", phones: [], email: null, channelIdentities: [], at: "2026-03-02T09:00:00.000Z",
 * }
 * ```
 */
export interface NewContactFields {
  readonly id: string
  readonly tenantId: string
  readonly fullName: string
  readonly type: string
  readonly primaryPhone: string | null
  readonly phones: ReadonlyArray<string>
  readonly email: string | null
  readonly channelIdentities: ReadonlyArray<ChannelIdentity>
  /** When it is created: its creation and its last activity. */
  readonly at: string
}

/**
 * A contact as it is created, at version 1, and the `contact.created` change that records it.
 * Both ways of creating a contact (`createContact`, and `resolveContact` for an unknown handle)
 * build it here, so a new contact has one shape whichever made it.
 *
 * @example
 * ```ts
 * import { newContact } from "rmc-details"
 * const { contact, change } = newContact({
 *   id: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11", tenantId: "acme", fullName: "Marie Curie", type: "Lead",
 *   primaryPhone: "+33612345678", phones: [], email: null, channelIdentities: [], at: "2026-03-02T09:00:00.000Z",
 * })
 * contact.version // 1
 * change.type // "contact.created"
 * ```
 */
export const newContact = (fields: NewContactFields): { readonly contact: Contact; readonly change: ActivityChange } => {
  const contact: Contact = {
    id: fields.id,
    tenantId: fields.tenantId,
    fullName: fields.fullName,
    type: fields.type,
    primaryPhone: fields.primaryPhone,
    phones: [...fields.phones],
    email: fields.email,
    channelIdentities: [...fields.channelIdentities],
    createdAt: fields.at,
    lastActivityAt: fields.at,
    erasedAt: null,
    mergedInto: null,
    mergedAt: null,
    version: 1,
  }
  return {
    contact,
    change: {
      type: "contact.created",
      subjectId: contact.id,
      conversationId: null,
      contactId: contact.id,
      after: { fullName: contact.fullName, type: contact.type },
    },
  }
}
