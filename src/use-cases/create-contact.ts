import { Effect } from "effect"
import { newContact } from "../domain/contact/new-contact"
import { activityEvent } from "./support/activity"
import { newContactType } from "./support/contact-type"
import { idempotentCreation } from "./support/idempotent"
import { currentTime, nextId } from "./support/now"
import { normalizeIdentities, normalizePhones } from "./support/phones"
import { lockedSettingsOf } from "./support/settings"
import { defineUseCase } from "./support/use-case"

/**
 * Creates a contact. Phone numbers are normalised to E.164 with the tenant's region; the type
 * must be one of the tenant's contact types (default: the first of the catalog). Its phone
 * numbers, e-mail address and channel handles must be no other contact's: otherwise it fails with
 * `IdentityTakenError` naming that contact.
 *
 * @example
 * ```ts
 * import { createContact } from "rmc-details"
 * const program = createContact({ tenantId: "acme", agentId: "alice", role: "agent" },
 *   { fullName: "Marie Curie", type: "Lead", primaryPhone: "06 12 34 56 78" })
 * ```
 */
export const createContact = defineUseCase("createContact", (principal, input) =>
  Effect.gen(function* () {
    const now = yield* currentTime
    const id = yield* nextId
    const { idempotencyKey, ...request } = input
    return yield* idempotentCreation(
      {
        tenantId: principal.tenantId,
        operation: "createContact",
        key: idempotencyKey,
        request,
        now,
        entity: "contact",
        reread: (r, id) => r.contacts.get(principal.tenantId, id),
      },
      (r) =>
        Effect.gen(function* () {
          const settings = yield* lockedSettingsOf(r, principal.tenantId, "share")
          const type = yield* newContactType(settings, input.type)
          const phones = yield* normalizePhones(input.primaryPhone ?? null, input.phones ?? [], settings.defaultRegion)
          const channelIdentities = yield* normalizeIdentities(input.channelIdentities ?? [], settings.defaultRegion)
          const { contact, change } = newContact({
            id,
            tenantId: principal.tenantId,
            fullName: input.fullName,
            type,
            primaryPhone: phones.primaryPhone,
            phones: phones.phones,
            email: input.email?.toLowerCase() ?? null,
            channelIdentities,
            at: now,
          })
          yield* r.contacts.insert(contact)
          yield* r.activity.append([yield* activityEvent(principal, now, change.type, change)])
          return contact
        }),
    )
  }),
)
