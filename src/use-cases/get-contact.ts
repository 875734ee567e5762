import { Effect } from "effect"
import { Storage } from "../ports/storage"
import { liveContact } from "./support/live-contact"
import { defineUseCase } from "./support/use-case"

/**
 * Reads a contact.
 *
 * @example
 * ```ts
 * import { getContact } from "rmc-details"
 * const program = getContact({ tenantId: "acme", agentId: "alice", role: "agent" },
 *   { contactId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11" })
 * ```
 */
export const getContact = defineUseCase("getContact", (principal, input) =>
  Effect.gen(function* () {
    const storage = yield* Storage
    return yield* storage.query((r) => liveContact(input.contactId)(r.contacts.get(principal.tenantId, input.contactId)))
  }),
)
