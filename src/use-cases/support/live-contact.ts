import { Effect } from "effect"
import type { Contact } from "../../domain/contact/contact"
import { ContactMergedError, type NotFoundError, type StorageError } from "../../domain/shared/errors"
import { orNotFound } from "./find"

/**
 * The contact, unless it was merged into another one: then `merged`, naming the contact it lives
 * on as.
 *
 * @internal
 */
export const notMerged = (contact: Contact): Effect.Effect<Contact, ContactMergedError> =>
  contact.mergedInto === null
    ? Effect.succeed(contact)
    : Effect.fail(
        new ContactMergedError({
          message: `contact ${contact.id} was merged into ${contact.mergedInto}`,
          contactId: contact.id,
          mergedInto: contact.mergedInto,
          mergedAt: contact.mergedAt ?? contact.lastActivityAt,
        }),
      )

/**
 * The contact that `read` answers, unless it is missing (`not_found`) or merged into another one
 * (`merged`, naming the contact it lives on as): what every read of a contact by its id goes
 * through.
 *
 * @internal
 */
export const liveContact =
  (contactId: string) =>
  (read: Effect.Effect<Contact | null, StorageError>): Effect.Effect<Contact, StorageError | NotFoundError | ContactMergedError> =>
    Effect.flatMap(orNotFound("contact", contactId)(read), notMerged)
