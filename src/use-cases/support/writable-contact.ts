import { Effect } from "effect"
import type { Contact } from "../../domain/contact/contact"
import { ContactErasedError, type ContactMergedError, type NotFoundError, type StorageError } from "../../domain/shared/errors"
import type { LockMode, StorageRepositories } from "../../ports/storage"
import { orNotFound } from "./find"
import { liveContact, notMerged } from "./live-contact"

/**
 * The contact, for a write that adds personal data about it: fails with `not_found` when it does
 * not exist, with `merged` once it was merged into another contact (a write that waited for the
 * merge's lock then fails rather than leave a record on a tombstone), and with `contact_erased`
 * once its personal data was erased. `read` says how: with a lock (see `contacts.getLocked`),
 * `share` by writes that only add records about the contact, `update` by an erasure and by a write
 * that adds a record and may then update the contact (opening a conversation: a shared lock taken
 * before that update would deadlock two such writers, and without a lock the record could land on
 * a contact a merge has just made a tombstone); `plain` by writes that only update the contact
 * itself, whose optimistic concurrency already makes them lose to an erasure or a merge.
 *
 * @internal
 */
export const writableContact = (
  r: StorageRepositories,
  tenantId: string,
  contactId: string,
  read: LockMode | "plain" = "share",
): Effect.Effect<Contact, StorageError | NotFoundError | ContactMergedError | ContactErasedError> =>
  Effect.flatMap(liveContact(contactId)(read === "plain" ? r.contacts.get(tenantId, contactId) : r.contacts.getLocked(tenantId, contactId, read)), notErased)

/**
 * The contact of a conversation, for a write about the conversation that adds personal data about
 * its contact: read with a `share` lock in one read with the conversation (see
 * `contacts.getLockedByConversation`); fails with `not_found` (the conversation) when there is no
 * such conversation, with `merged` when the write waited for a merge that moved the conversation
 * (it read the conversation's contact before the merge), and with `contact_erased` once the
 * contact's personal data was erased.
 *
 * @internal
 */
export const writableContactOfConversation = (
  r: StorageRepositories,
  tenantId: string,
  conversationId: string,
): Effect.Effect<Contact, StorageError | NotFoundError | ContactMergedError | ContactErasedError> =>
  Effect.flatMap(
    Effect.flatMap(orNotFound("conversation", conversationId)(r.contacts.getLockedByConversation(tenantId, conversationId, "share")), notMerged),
    notErased,
  )

const notErased = (contact: Contact): Effect.Effect<Contact, ContactErasedError> =>
  contact.erasedAt === null
    ? Effect.succeed(contact)
    : Effect.fail(new ContactErasedError({ message: `contact ${contact.id} was erased`, contactId: contact.id, erasedAt: contact.erasedAt }))
