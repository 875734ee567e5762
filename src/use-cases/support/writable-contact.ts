import { Effect } from "effect"
import type { Contact } from "../../domain/contact/contact"
import { ContactErasedError, type ContactMergedError, type NotFoundError, type StorageError } from "../../domain/shared/errors"
import type { LockMode, StorageRepositories } from "../../ports/storage"
import { liveContact } from "./live-contact"

/**
 * The contact, for a write that adds personal data about it: fails with `not_found` when it does
 * not exist, with `merged` once it was merged into another contact (a write that waited for the
 * merge's lock then fails rather than leave a record on a tombstone), and with `contact_erased`
 * once its personal data was erased. `read` says how: with a
 * lock (see `contacts.getLocked`), `share` by writes that only add records about the contact,
 * `update` by an erasure; `plain` by writes that update the contact itself, whose optimistic
 * concurrency already makes them lose to an erasure (a shared lock taken before an update would
 * deadlock two such writers).
 *
 * @internal
 */
export const writableContact = (
  r: StorageRepositories,
  tenantId: string,
  contactId: string,
  read: LockMode | "plain" = "share",
): Effect.Effect<Contact, StorageError | NotFoundError | ContactMergedError | ContactErasedError> =>
  Effect.flatMap(liveContact(contactId)(read === "plain" ? r.contacts.get(tenantId, contactId) : r.contacts.getLocked(tenantId, contactId, read)), (contact) =>
    contact.erasedAt === null
      ? Effect.succeed(contact)
      : Effect.fail(new ContactErasedError({ message: `contact ${contactId} was erased`, contactId, erasedAt: contact.erasedAt })),
  )
