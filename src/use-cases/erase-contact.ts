import { Effect } from "effect"
import type { ContactErasure } from "../domain/privacy/contact-erasure"
import { erasedContact } from "../domain/privacy/erasure"
import { Storage } from "../ports/storage"
import { activityEvent } from "./support/activity"
import { expectVersion } from "./support/expect-version"
import { currentTime } from "./support/now"
import { withSameIdentities } from "./support/same-identities"
import { defineUseCase } from "./support/use-case"
import { writableContact } from "./support/writable-contact"

/**
 * Erases a contact's personal data (admin), irreversibly, in one transaction: the contact's name,
 * phones, e-mail and channel identities; the body and earlier bodies of every note about it (on
 * the contact and on its conversations, deleted ones too); the `before`/`after` values of every
 * event about it and its conversations, in the activity log and in the outbox alike (a relay
 * reads the scrubbed events, however late); the numbers dialled, telephony ids and failure
 * reasons of its calls; its events set aside as webhook dead letters. Records are anonymised with
 * `erasedMarker`, never deleted: conversations, notes, calls, events and reports keep their counts.
 * The records of the merges the contact took part in, which hold contacts as they were, are
 * deleted (those merges can no longer be undone), and the contacts merged into it are erased too.
 * Stored idempotent answers hold only record ids: a retry answers the erased record.
 *
 * A `contact.erased` event records who, when and why (`reason`), with how many records were
 * erased, and no personal data. From then on, writes that would add personal data about the
 * contact fail with `contact_erased` (see {@link ContactErasedError}).
 *
 * @example
 * ```ts
 * import { eraseContact } from "rmc-details"
 * const program = eraseContact({ tenantId: "acme", agentId: "dpo", role: "admin" },
 *   { contactId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11", reason: "Erasure request, ticket 4521" })
 * ```
 */
export const eraseContact = defineUseCase("eraseContact", (principal, input) =>
  Effect.gen(function* () {
    const storage = yield* Storage
    const now = yield* currentTime
    return yield* storage.transaction((r) =>
      Effect.gen(function* () {
        // Locked for update: a note, a conversation or a call being written about the contact waits for the erasure, then fails.
        const contact = yield* writableContact(r, principal.tenantId, input.contactId, "update")
        yield* expectVersion("contact", contact.id, input.expectedVersion, contact.version)
        const erased = erasedContact(contact, now)
        // Losing every identity releases them: another contact may take the number or address.
        yield* withSameIdentities(r.contacts.update(erased, contact))
        // One method per repository group that holds personal data about the contact.
        const notes = yield* r.notes.eraseByContact(principal.tenantId, contact.id)
        const deadLetters = yield* r.webhooks.eraseDeadLettersByContact(principal.tenantId, contact.id)
        const events = yield* r.activity.eraseByContact(principal.tenantId, contact.id)
        const calls = yield* r.calls.eraseByContact(principal.tenantId, contact.id)
        let attributeValues = yield* r.attributes.eraseByContact(principal.tenantId, contact.id)
        // The contacts merged into it are the same person: their tombstones and values go too.
        for (const tombstone of yield* r.merges.eraseByContact(principal.tenantId, contact.id, now)) {
          attributeValues += yield* r.attributes.eraseByContact(principal.tenantId, tombstone)
        }
        const erasure: ContactErasure = {
          contact: erased,
          erasedAt: now,
          erasedBy: principal.agentId,
          reason: input.reason,
          notes,
          events,
          calls,
          deadLetters,
          attributeValues,
        }
        yield* r.activity.append([
          yield* activityEvent(principal, now, "contact.erased", {
            subjectId: contact.id,
            conversationId: null,
            contactId: contact.id,
            after: { reason: input.reason, notes, events, calls, deadLetters, attributeValues },
          }),
        ])
        return erasure
      }),
    )
  }),
)
