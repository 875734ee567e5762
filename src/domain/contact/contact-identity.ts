import * as z from "zod"
import { normalizeName } from "../tagging/normalize-name"
import { type Channel, phoneChannels, usernameChannels } from "./channel"
import type { Contact } from "./contact"

/**
 * What an identity is: a phone number (`phone`, in E.164), an e-mail address (`email`, case-folded),
 * or a handle on one of the other channels. A phone number is one identity whatever it is stored as
 * (the primary phone, another phone, a WhatsApp, SMS or voice handle); an e-mail address likewise
 * (the e-mail field or an e-mail channel handle): the same number or address is the same person.
 *
 * @example
 * ```ts
 * import { IdentityKind } from "rmc-details"
 * IdentityKind.parse("telegram")
 * ```
 */
export const IdentityKind = z.enum(["phone", "email", "webchat", "messenger", "instagram", "telegram"]).meta({ id: "IdentityKind" })
/** @see {@link IdentityKind} */
export type IdentityKind = z.infer<typeof IdentityKind>

/**
 * One identity of a contact, in its normalised form: unique per tenant, so that an inbound message
 * finds one contact. `value` is an E.164 number, a lower-case e-mail address, a Telegram or
 * Instagram username in lower case without its leading `@`, or a Messenger or web chat id as sent.
 *
 * @example
 * ```ts
 * import { ContactIdentity } from "rmc-details"
 * ContactIdentity.parse({ kind: "phone", value: "+33612345678" })
 * ```
 */
export const ContactIdentity = z.object({ kind: IdentityKind, value: z.string().min(1).max(320) }).meta({ id: "ContactIdentity" })
/** @see {@link ContactIdentity} */
export type ContactIdentity = z.infer<typeof ContactIdentity>

/**
 * The identity of a channel handle that has been normalised like a contact's (phone handles in
 * E.164, e-mail handles in lower case): see {@link ContactIdentity} for what else is folded.
 *
 * @example
 * ```ts
 * import { identityOfHandle } from "rmc-details"
 * identityOfHandle("telegram", "@Marie") // { kind: "telegram", value: "marie" }
 * identityOfHandle("whatsapp", "+33612345678") // { kind: "phone", value: "+33612345678" }
 * ```
 */
export const identityOfHandle = (channel: Channel, handle: string): ContactIdentity => {
  if (phoneChannels.has(channel)) return { kind: "phone", value: handle }
  if (channel === "email") return { kind: "email", value: handle.toLowerCase() }
  if (usernameChannels.has(channel)) return { kind: channel as IdentityKind, value: handle.replace(/^@/, "").toLowerCase() }
  return { kind: channel as IdentityKind, value: handle }
}

/**
 * A stable text key of an identity, for sets and maps.
 *
 * @example
 * ```ts
 * import { identityKey } from "rmc-details"
 * identityKey({ kind: "email", value: "marie@example.com" }) // "email:marie@example.com"
 * ```
 */
export const identityKey = (identity: ContactIdentity): string => `${identity.kind}:${identity.value}`

/**
 * Every identity of a contact, each once: its phones, its e-mail address and its channel handles.
 *
 * @example
 * ```ts
 * import { identitiesOf, type Contact } from "rmc-details"
 * declare const contact: Contact
 * identitiesOf(contact).map((identity) => identity.kind)
 * ```
 */
export const identitiesOf = (contact: Pick<Contact, "primaryPhone" | "phones" | "email" | "channelIdentities">): ReadonlyArray<ContactIdentity> => {
  const all: Array<ContactIdentity> = [
    ...(contact.primaryPhone === null ? [] : [{ kind: "phone" as const, value: contact.primaryPhone }]),
    ...contact.phones.map((value) => ({ kind: "phone" as const, value })),
    ...(contact.email === null ? [] : [{ kind: "email" as const, value: contact.email.toLowerCase() }]),
    ...contact.channelIdentities.map((identity) => identityOfHandle(identity.channel, identity.handle)),
  ]
  const seen = new Set<string>()
  return all.filter((identity) => {
    const key = identityKey(identity)
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/**
 * The identities `next` has and `previous` had not (`gained`), and those it lost (`lost`).
 *
 * @example
 * ```ts
 * import { identityChanges, type Contact } from "rmc-details"
 * declare const before: Contact
 * declare const after: Contact
 * identityChanges(before, after).gained
 * ```
 */
export const identityChanges = (
  previous: Pick<Contact, "primaryPhone" | "phones" | "email" | "channelIdentities">,
  next: Pick<Contact, "primaryPhone" | "phones" | "email" | "channelIdentities">,
): { readonly gained: ReadonlyArray<ContactIdentity>; readonly lost: ReadonlyArray<ContactIdentity> } => {
  const before = identitiesOf(previous)
  const after = identitiesOf(next)
  const had = new Set(before.map(identityKey))
  const has = new Set(after.map(identityKey))
  return { gained: after.filter((i) => !had.has(identityKey(i))), lost: before.filter((i) => !has.has(identityKey(i))) }
}

/** The most code points of a contact's name key (a normalised name can be longer than the name). */
const nameKeyMaxLength = 200

/**
 * A contact's name as a picker compares it: normalised like catalog names (case, accents and
 * spacing ignored, see `normalizeName`), cut at 200 code points.
 *
 * @example
 * ```ts
 * import { contactNameKey } from "rmc-details"
 * contactNameKey("  Éloïse  Durand") // "eloise durand"
 * ```
 */
export const contactNameKey = (fullName: string): string => [...normalizeName(fullName)].slice(0, nameKeyMaxLength).join("")
