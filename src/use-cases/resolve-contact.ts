import { Effect } from "effect"
import { Contact } from "../domain/contact/contact"
import { identityOfHandle } from "../domain/contact/contact-identity"
import { newContact } from "../domain/contact/new-contact"
import { Storage } from "../ports/storage"
import { activityEvent } from "./support/activity"
import { newContactType } from "./support/contact-type"
import { normalizedHandle } from "./support/identity-of-input"
import { currentTime, nextId } from "./support/now"
import { lockedSettingsOf } from "./support/settings"
import { defineUseCase } from "./support/use-case"

/**
 * Finds the contact of an inbound message by its channel and handle (normalised as contacts'
 * identities are: a WhatsApp number is the contact's phone number, an e-mail handle its address),
 * or creates it with that handle, `fullName` (the handle when absent) and `type` (an e-mail handle
 * that is an address is also its e-mail). Answers the contact and whether it was created.
 *
 * A contact that exists is found in one statement (a phone number in national form first reads
 * the tenant's region). Two messages from the same new handle at the same time give one contact:
 * the store's unique index refuses the second creation, which then answers the first one's
 * contact.
 *
 * @example
 * ```ts
 * import { resolveContact } from "rmc-details"
 * const program = resolveContact({ tenantId: "acme", agentId: "inbound", role: "agent" },
 *   { channel: "whatsapp", handle: "+33612345678", fullName: "Marie Curie" })
 * ```
 */
export const resolveContact = defineUseCase("resolveContact", (principal, input) =>
  Effect.gen(function* () {
    const storage = yield* Storage
    const { tenantId } = principal
    const handle = yield* normalizedHandle(tenantId, input.channel, input.handle, ["handle"])
    const identity = identityOfHandle(handle.channel, handle.handle)
    const found = yield* storage.query((r) => r.contacts.findByIdentity(tenantId, identity))
    if (found !== null) return { contact: found, created: false }
    const now = yield* currentTime
    const id = yield* nextId
    return yield* storage
      .transaction((r) =>
        Effect.gen(function* () {
          const settings = yield* lockedSettingsOf(r, tenantId, "share")
          const type = yield* newContactType(settings, input.type)
          const { contact, change } = newContact({
            id,
            tenantId,
            fullName: input.fullName ?? [...handle.handle].slice(0, 200).join(""),
            type,
            primaryPhone: null,
            phones: [],
            // An e-mail handle that is an address is the contact's address too.
            email: handle.channel === "email" && Contact.shape.email.safeParse(handle.handle).success ? handle.handle : null,
            channelIdentities: [handle],
            at: now,
          })
          yield* r.contacts.insert(contact)
          yield* r.activity.append([yield* activityEvent(principal, now, change.type, change)])
          return { contact, created: true }
        }),
      )
      .pipe(
        // Another message created the contact first: answer it, as if it had been there.
        Effect.catchTag("IdentityTakenError", (taken) =>
          Effect.flatMap(
            storage.query((r) => r.contacts.get(tenantId, taken.contactId)),
            (contact) =>
              contact === null
                ? Effect.die(new Error(`contact ${taken.contactId} holds ${identity.kind} ${identity.value} but cannot be read`))
                : Effect.succeed({ contact, created: false }),
          ),
        ),
      )
  }),
)
