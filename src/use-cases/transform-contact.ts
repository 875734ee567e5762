import { Effect } from "effect"
import { InvalidTransitionError } from "../domain/shared/errors"
import { canTransform } from "../domain/tenant/tenant-settings"
import { Storage } from "../ports/storage"
import { activityEvent } from "./support/activity"
import { expectVersion } from "./support/expect-version"
import { currentTime } from "./support/now"
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
  Effect.gen(function* () {
    const storage = yield* Storage
    const now = yield* currentTime
    return yield* storage.transaction((r) =>
      Effect.gen(function* () {
        const contact = yield* writableContact(r, principal.tenantId, input.contactId, "plain")
        yield* expectVersion("contact", contact.id, input.expectedVersion, contact.version)
        const settings = yield* lockedSettingsOf(r, principal.tenantId, "share")
        if (!canTransform(settings, contact.type, input.to)) {
          return yield* new InvalidTransitionError({
            message: `The tenant does not allow transforming a ${contact.type} into a ${input.to}`,
            from: contact.type,
            to: input.to,
          })
        }
        const next = { ...contact, type: input.to, version: contact.version + 1 }
        yield* withSameIdentities(r.contacts.update(next, contact))
        yield* r.activity.append([
          yield* activityEvent(principal, now, "contact.type_changed", {
            subjectId: contact.id,
            conversationId: null,
            contactId: contact.id,
            before: { type: contact.type },
            after: { type: input.to, reason: input.reason ?? null },
          }),
        ])
        return next
      }),
    )
  }),
)
