import { Effect } from "effect"
import type { Contact } from "../domain/contact/contact"
import { Storage } from "../ports/storage"
import { activityEvent } from "./support/activity"
import { expectVersion } from "./support/expect-version"
import { currentTime } from "./support/now"
import { normalizeIdentities, normalizePhones } from "./support/phones"
import { settingsOf } from "./support/settings"
import { writableContact } from "./support/writable-contact"
import { defineUseCase } from "./support/use-case"

const tracked = ["fullName", "primaryPhone", "phones", "email", "channelIdentities"] as const

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
  Effect.gen(function* () {
    const storage = yield* Storage
    const now = yield* currentTime
    return yield* storage.transaction((r) =>
      Effect.gen(function* () {
        const contact = yield* writableContact(r, principal.tenantId, input.contactId, "plain")
        yield* expectVersion("contact", contact.id, input.expectedVersion, contact.version)
        const settings = yield* settingsOf(r, principal.tenantId)
        const phones = yield* normalizePhones(
          input.primaryPhone === undefined ? contact.primaryPhone : input.primaryPhone,
          input.phones ?? contact.phones,
          settings.defaultRegion,
        )
        const channelIdentities =
          input.channelIdentities === undefined ? contact.channelIdentities : yield* normalizeIdentities(input.channelIdentities, settings.defaultRegion)
        const next: Contact = {
          ...contact,
          fullName: input.fullName ?? contact.fullName,
          primaryPhone: phones.primaryPhone,
          phones: [...phones.phones],
          email: input.email === undefined ? contact.email : (input.email?.toLowerCase() ?? null),
          channelIdentities: [...channelIdentities],
          version: contact.version + 1,
        }
        const changed = tracked.filter((field) => JSON.stringify(contact[field]) !== JSON.stringify(next[field]))
        if (changed.length === 0) return contact
        yield* r.contacts.update(next, contact)
        yield* r.activity.append([
          yield* activityEvent(principal, now, "contact.updated", {
            subjectId: contact.id,
            conversationId: null,
            contactId: contact.id,
            before: Object.fromEntries(changed.map((f) => [f, contact[f]])),
            after: Object.fromEntries(changed.map((f) => [f, next[f]])),
          }),
        ])
        return next
      }),
    )
  }),
)
