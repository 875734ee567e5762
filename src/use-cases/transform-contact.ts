import { Effect } from "effect"
import { contactTypeTransition } from "../domain/contact/contact-type-transition"
import { InvalidTransitionError } from "../domain/shared/errors"
import { canTransform } from "../domain/tenant/tenant-settings"
import { runCommand } from "./support/command"
import { lockedSettingsOf } from "./support/settings"
import { writableContact } from "./support/writable-contact"
import { defineUseCase } from "./support/use-case"
import { withSameIdentities } from "./support/same-identities"

/**
 * Transforms a contact's type along a transition the tenant allows (e.g. Lead to Client), with an
 * optional reason; recorded in the activity log with the type before and after.
 *
 * @example
 * ```ts
 * import { transformContact } from "rmc-details"
 * const program = transformContact({ tenantId: "acme", agentId: "alice", role: "agent" },
 *   { contactId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11", to: "Client", reason: "Signed the quote" })
 * ```
 */
export const transformContact = defineUseCase("transformContact", (principal, input) =>
  runCommand(principal, (r) => writableContact(r, principal.tenantId, input.contactId, "plain"))({
    expectedVersion: { entity: "contact", version: input.expectedVersion },
    transition: (contact, { r }) =>
      Effect.gen(function* () {
        const settings = yield* lockedSettingsOf(r, principal.tenantId, "share")
        if (!canTransform(settings, contact.type, input.to)) {
          return yield* new InvalidTransitionError({
            message: `The tenant does not allow transforming a ${contact.type} into a ${input.to}`,
            from: contact.type,
            to: input.to,
          })
        }
        return contactTypeTransition(contact, input.to, input.reason)
      }),
    save: (r, next, contact) => withSameIdentities(r.contacts.update(next, contact)),
  }),
)
