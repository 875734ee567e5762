import { Effect } from "effect"
import { contactUpdateTransition } from "../domain/contact/contact-update-transition"
import { runCommand } from "./support/command"
import { normalizeIdentities, normalizePhones } from "./support/phones"
import { settingsOf } from "./support/settings"
import { writableContact } from "./support/writable-contact"
import { defineUseCase } from "./support/use-case"

/**
 * Changes a contact's name, phone numbers, e-mail or channel identities; only the given fields
 * change, `null` clears one. The type changes only through `transformContact`. A phone number,
 * e-mail address or channel handle it gains must be no other contact's: otherwise it fails with
 * `IdentityTakenError` naming that contact.
 *
 * @example
 * ```ts
 * import { updateContact } from "rmc-details"
 * const program = updateContact({ tenantId: "acme", agentId: "alice", role: "agent" },
 *   { contactId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11", email: "marie@example.com" })
 * ```
 */
export const updateContact = defineUseCase("updateContact", (principal, input) =>
  runCommand(principal, (r) => writableContact(r, principal.tenantId, input.contactId, "plain"))({
    expectedVersion: { entity: "contact", version: input.expectedVersion },
    transition: (contact, { r }) =>
      Effect.gen(function* () {
        const settings = yield* settingsOf(r, principal.tenantId)
        const phones = yield* normalizePhones(
          input.primaryPhone === undefined ? contact.primaryPhone : input.primaryPhone,
          input.phones ?? contact.phones,
          settings.defaultRegion,
        )
        const channelIdentities =
          input.channelIdentities === undefined ? contact.channelIdentities : yield* normalizeIdentities(input.channelIdentities, settings.defaultRegion)
        return contactUpdateTransition(contact, {
          fullName: input.fullName ?? contact.fullName,
          primaryPhone: phones.primaryPhone,
          phones: [...phones.phones],
          email: input.email === undefined ? contact.email : (input.email?.toLowerCase() ?? null),
          channelIdentities: [...channelIdentities],
        })
      }),
    save: (r, next, contact) => r.contacts.update(next, contact),
  }),
)
