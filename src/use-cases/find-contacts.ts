import { Effect } from "effect"
import { contactNameKey } from "../domain/contact/contact-identity"
import { ValidationError } from "../domain/shared/errors"
import { Storage } from "../ports/storage"
import { identityOfInput } from "./support/identity-of-input"
import { readNameCursor, toNamePage } from "./support/paging"
import { defineUseCase } from "./support/use-case"
import { pageReadLimit } from "../domain/shared/page"

/**
 * Finds contacts: by phone number (read with the tenant's region), e-mail address or channel
 * handle, normalised as contacts' identities are, which finds one contact at most; or by name
 * prefix for a picker, ignoring case, accents and spacing, one page at a time A to Z.
 *
 * @example
 * ```ts
 * import { findContacts } from "rmc-details"
 * const agent = { tenantId: "acme", agentId: "alice", role: "agent" } as const
 * const byPhone = findContacts(agent, { phone: "06 12 34 56 78" })
 * const picker = findContacts(agent, { namePrefix: "mar", limit: 10 })
 * ```
 */
export const findContacts = defineUseCase("findContacts", (principal, input) =>
  Effect.gen(function* () {
    const storage = yield* Storage
    if (input.namePrefix !== undefined) {
      const prefix = contactNameKey(input.namePrefix)
      const after = yield* readNameCursor(input.cursor)
      const rows = yield* storage.query((r) => r.contacts.listByNamePrefix(principal.tenantId, prefix, { limit: pageReadLimit(input.limit), after }))
      const page = toNamePage(
        rows.map((contact) => ({ id: contact.id, normalizedName: contactNameKey(contact.fullName), contact })),
        input.limit,
      )
      return { items: page.items.map((row) => row.contact), nextCursor: page.nextCursor }
    }
    // An identity finds one contact at most: its answer is a single page.
    if (input.cursor !== undefined) {
      return yield* new ValidationError({ message: "Invalid cursor", issues: [{ path: ["cursor"], message: "not a cursor of this list" }] })
    }
    const identity = yield* identityOfInput(principal.tenantId, input)
    const found = yield* storage.query((r) => r.contacts.findByIdentity(principal.tenantId, identity))
    return { items: found === null ? [] : [found], nextCursor: null }
  }),
)
