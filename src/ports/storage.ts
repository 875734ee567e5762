import { Context, type Effect } from "effect"
import type { ActivityEvent, OutboxEntry } from "../domain/activity/activity-event"
import type { AttributeDefinition, AttributeSubject, AttributeTarget, StoredAttributeValue } from "../domain/attribute/attribute-definition"
import type { Agent } from "../domain/agent/agent"
import type { CallAttempt } from "../domain/call/call-attempt"
import type { Contact } from "../domain/contact/contact"
import type { ContactIdentity } from "../domain/contact/contact-identity"
import type { Conversation, ConversationSummary } from "../domain/conversation/conversation"
import type { Department } from "../domain/department/department"
import type { ContactMerge, MovedRecords } from "../domain/merge/contact-merge"
import type { DetailsSnapshot } from "../domain/details/details-snapshot"
import type { Note, NoteSubject } from "../domain/note/note"
import type { ConversationFilter } from "../domain/search/conversation-filter"
import type { ReportDimension, VolumeRow } from "../domain/search/volume-report"
import type { IdempotencyConflictError, IdentityTakenError, NameTakenError, StorageError, VersionConflictError } from "../domain/shared/errors"
import type { CursorKey, NameCursorKey } from "../domain/shared/page"
import type { Role } from "../domain/shared/principal"
import type { Keyword } from "../domain/tagging/keyword"
import type { Label } from "../domain/tagging/label"
import type { TenantSettings } from "../domain/tenant/tenant-settings"
import type { StoredWebhookDeadLetter, StoredWebhookSubscription } from "../domain/webhooks/webhook-subscription"

/**
 * A read of one page of a list sorted newest first: at most `limit` items strictly after `after`.
 *
 * @example
 * ```ts
 * import type { Slice } from "rmc-details"
 * const first: Slice = { limit: 21 }
 * ```
 */
export interface Slice {
  readonly limit: number
  readonly after?: CursorKey | undefined
}

/**
 * A read of one page of a catalog (departments, keywords, labels) sorted by normalised name then
 * id: at most `limit` records strictly after `after`, archived ones only when `includeArchived`,
 * and, with `nameContains` (already normalised, see `normalizeName`), only those whose normalised
 * name contains it.
 *
 * @example
 * ```ts
 * import type { CatalogSlice } from "rmc-details"
 * const firstLive: CatalogSlice = { includeArchived: false, nameContains: "sup", limit: 21 }
 * ```
 */
export interface CatalogSlice {
  readonly includeArchived: boolean
  readonly nameContains?: string | undefined
  readonly limit: number
  readonly after?: NameCursorKey | undefined
}

/**
 * A read of one page of a list sorted by a name key then id (ascending): at most `limit` records
 * strictly after `after`.
 *
 * @example
 * ```ts
 * import type { NameSlice } from "rmc-details"
 * const first: NameSlice = { limit: 21 }
 * ```
 */
export interface NameSlice {
  readonly limit: number
  readonly after?: NameCursorKey | undefined
}

/**
 * A read of one page of the agent directory sorted by agent id (ascending, comparing code points):
 * at most `limit` agents whose id comes strictly after `after`, deactivated ones only when
 * `includeInactive`, and with `departmentIds`, only the members of at least one of them (an empty
 * list matches nobody).
 *
 * @example
 * ```ts
 * import type { AgentSlice } from "rmc-details"
 * const firstActive: AgentSlice = { includeInactive: false, limit: 21 }
 * ```
 */
export interface AgentSlice {
  readonly includeInactive: boolean
  readonly departmentIds?: ReadonlyArray<string> | undefined
  readonly limit: number
  readonly after?: string | undefined
}

/**
 * How many rows a Details read loads per list: `history` of the contact's conversations and
 * `notes` of each subject's notes (the contact's, the conversation's). Callers ask for one more
 * than they show, to know whether a next page exists.
 *
 * @example
 * ```ts
 * import type { DetailsLimits } from "rmc-details"
 * const limits: DetailsLimits = { history: 11, notes: 21 }
 * ```
 */
export interface DetailsLimits {
  readonly history: number
  readonly notes: number
}

/**
 * A conversation filter as stores receive it: dates normalised to {@link Timestamp} strings
 * (`from` inclusive, `to` exclusive, on `createdAt`), lists as the caller gave them: an empty
 * "one of" list (`anyOf`, `departmentIds`, `channels`, `status`, `contactTypes`) matches nothing,
 * an empty `allOf` restricts nothing.
 *
 * @example
 * ```ts
 * import type { StoreConversationFilter } from "rmc-details"
 * const open: StoreConversationFilter = { status: ["open"] }
 * ```
 */
export type StoreConversationFilter = Omit<ConversationFilter, "from" | "to" | "attributes"> & {
  /** Only the conversations in this reach (see {@link ConversationReach}). */
  readonly reach?: ConversationReach | undefined
  readonly from?: string | undefined
  readonly to?: string | undefined
  readonly attributes?: ReadonlyArray<StoreAttributeCondition> | undefined
}

/**
 * A criterion on a custom attribute as stores receive it: the attribute's `key` and `target`
 * (the conversation itself, or its contact), and what its stored value must be. `in` compares the
 * value's text (see `attributeText`) with already normalised texts; `range` compares numbers
 * (`number`) or texts (`text`, for dates), both bounds inclusive; `exists` asks for a value, or
 * for none.
 *
 * @example
 * ```ts
 * import type { StoreAttributeCondition } from "rmc-details"
 * const gold: StoreAttributeCondition = { key: "tier", target: "contact", match: { kind: "in", texts: ["Gold"] } }
 * ```
 */
export interface StoreAttributeCondition {
  readonly key: string
  readonly target: AttributeTarget
  readonly match:
    | { readonly kind: "in"; readonly texts: ReadonlyArray<string> }
    | { readonly kind: "range"; readonly on: "number"; readonly min?: number | undefined; readonly max?: number | undefined }
    | { readonly kind: "range"; readonly on: "text"; readonly min?: string | undefined; readonly max?: string | undefined }
    | { readonly kind: "exists"; readonly exists: boolean }
}

/**
 * A read of one page of attribute definitions sorted by key then id: at most `limit` strictly
 * after `after` (its `name` is a key), archived ones only when `includeArchived`, of one target
 * only when `target` is given.
 *
 * @example
 * ```ts
 * import type { AttributeSlice } from "rmc-details"
 * const first: AttributeSlice = { includeArchived: false, target: "contact", limit: 21 }
 * ```
 */
export interface AttributeSlice {
  readonly includeArchived: boolean
  readonly target?: AttributeTarget | undefined
  readonly limit: number
  readonly after?: NameCursorKey | undefined
}

/**
 * The conversations an agent reads under a tenant's `department` history rule (see
 * `inAgentsReach`): those in none of the tenant's departments, those assigned to `agentId`, and
 * those in one of `departmentIds`. A read given one leaves every other conversation out.
 *
 * @example
 * ```ts
 * import type { ConversationReach } from "rmc-details"
 * const alice: ConversationReach = { agentId: "alice", departmentIds: [] }
 * ```
 */
export interface ConversationReach {
  readonly agentId: string
  readonly departmentIds: ReadonlyArray<string>
}

/**
 * Who reads a Details panel: the store applies the tenant's visibility rules (its settings'
 * `visibility`, read in the same statement) to the notes and history it returns.
 *
 * @example
 * ```ts
 * import type { DetailsReader } from "rmc-details"
 * const alice: DetailsReader = { agentId: "alice", role: "agent", departmentIds: [] }
 * ```
 */
export interface DetailsReader {
  readonly agentId: string
  readonly role: Role
  readonly departmentIds?: ReadonlyArray<string> | undefined
}

/**
 * A stored answer to an idempotent creation: a retry with the same key and the same request gets
 * `response` back instead of creating a second record.
 *
 * @example
 * ```ts
 * import type { IdempotencyRecord } from "rmc-details"
 * const same = (r: IdempotencyRecord, hash: string) => r.requestHash === hash
 * ```
 */
export interface IdempotencyRecord {
  readonly tenantId: string
  readonly key: string
  readonly operation: string
  readonly requestHash: string
  readonly response: unknown
  readonly createdAt: string
}

/**
 * How many committed events a reader of the outbox has still to read, and when the oldest of them
 * happened (`null` when there is none).
 *
 * @example
 * ```ts
 * import type { OutboxBacklog } from "rmc-details"
 * const idle = (b: OutboxBacklog) => b.events === 0
 * ```
 */
export interface OutboxBacklog {
  readonly events: number
  readonly oldestAt: string | null
}

/**
 * How a locking read holds the record it read until its transaction ends: `share` lets other
 * `share` readers through and makes writers and `update` readers wait; `update` makes every other
 * locking reader and writer wait. A locking read that had to wait answers the record as the
 * transaction it waited for left it.
 *
 * @example
 * ```ts
 * import type { LockMode } from "rmc-details"
 * const attaching: LockMode = "share"
 * ```
 */
export type LockMode = "share" | "update"

/**
 * How many contacts of a tenant have a type.
 *
 * @example
 * ```ts
 * import type { ContactTypeCount } from "rmc-details"
 * const leads: ContactTypeCount = { type: "Lead", contacts: 12 }
 * ```
 */
export interface ContactTypeCount {
  readonly type: string
  readonly contacts: number
}

/**
 * How many records of each kind are about a contact: what a merge moves.
 *
 * @example
 * ```ts
 * import type { ContactRecordCounts } from "rmc-details"
 * const none: ContactRecordCounts = { conversations: 0, notes: 0, calls: 0, activity: 0 }
 * ```
 */
export interface ContactRecordCounts {
  readonly conversations: number
  readonly notes: number
  readonly calls: number
  readonly activity: number
}

/**
 * The repositories of the storage port. Every method is scoped by `tenantId` and never returns
 * another tenant's record. Reads return `null` (or an empty list) for what does not exist.
 *
 * Writes with optimistic concurrency (`update` of a contact, conversation, note; `put` of tenant
 * settings) store the record only if the stored version is the record's `version - 1`, and fail
 * with {@link VersionConflictError} otherwise. Inserts of a catalog record fail with
 * {@link NameTakenError} when the tenant already has one with the same `normalizedName`.
 *
 * Lists are read one page at a time ({@link Slice}, {@link CatalogSlice}) and ordered newest
 * first: conversations by `lastActivityAt` then `id` (descending), notes by `createdAt` then `id`
 * (descending), calls by `createdAt` then `id` (descending), activity by `at` then `id`
 * (descending); catalogs (departments, keywords, labels) by `normalizedName` then `id` (ascending,
 * comparing code points).
 *
 * Locking reads (`getLocked`) lock the record for the rest of the transaction (see
 * {@link LockMode}); a store that runs one writing transaction at a time may answer them like
 * `get`. Outside a transaction (`query`) they are plain reads.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import type { StorageRepositories } from "rmc-details"
 * const countNotes = (r: StorageRepositories, tenantId: string, id: string) =>
 *   r.notes.listBySubject(tenantId, { kind: "conversation", id }, { limit: 100 }).pipe(Effect.map((n) => n.length))
 * ```
 */
export interface StorageRepositories {
  readonly settings: {
    /** The tenant's settings, or `null` when it never configured any. */
    get(tenantId: string): Effect.Effect<TenantSettings | null, StorageError>
    /**
     * The tenant's settings, locked until the transaction ends: `share` by writes that rely on the
     * contact-type catalog, `update` by a change of it, so that a contact is never given a type
     * that a concurrent change removes.
     */
    getLocked(tenantId: string, mode: LockMode): Effect.Effect<TenantSettings | null, StorageError>
    /** Inserts (when `version` is 1) or updates with optimistic concurrency. */
    put(settings: TenantSettings): Effect.Effect<void, StorageError | VersionConflictError>
    /**
     * Every tenant's stored settings, by tenant id (ascending, comparing code points), at most
     * `limit` after the tenant `afterTenantId` (`null`: from the first): what a scheduled purge
     * walks through.
     */
    list(afterTenantId: string | null, limit: number): Effect.Effect<ReadonlyArray<TenantSettings>, StorageError>
  }
  /**
   * Contacts, with their identities (see `identitiesOf`) unique per tenant: the store keeps an
   * index of who holds each identity, written with the contact in the same transaction, and a
   * write that gives a contact an identity another contact of the tenant holds fails with
   * {@link IdentityTakenError} naming that contact, even when both writes run at the same time.
   */
  readonly contacts: {
    /** The tenant's record with this id, or `null`. */
    get(tenantId: string, id: string): Effect.Effect<Contact | null, StorageError>
    /**
     * Like `get`, and locks the record until the transaction ends: writes that add personal data
     * about the contact (a note, a conversation, a call) read it with `share`, an erasure with
     * `update`, so that nothing is written about a contact while it is being erased, and nothing
     * after.
     */
    getLocked(tenantId: string, id: string, mode: LockMode): Effect.Effect<Contact | null, StorageError>
    /**
     * The contact of the tenant's conversation `conversationId`, locked like `getLocked`, found
     * and locked in one read (one statement on the SQL stores): what a write about a conversation
     * that adds personal data about its contact takes. `null` when there is no such conversation.
     */
    getLockedByConversation(tenantId: string, conversationId: string, mode: LockMode): Effect.Effect<Contact | null, StorageError>
    /** Stores a new record and claims its identities. */
    insert(contact: Contact): Effect.Effect<void, StorageError | IdentityTakenError>
    /**
     * Replaces a stored record. `previous` is the record as stored at `contact.version - 1` (what
     * the caller read): the identities the contact gains from it are claimed, those it loses are
     * released. An identity it keeps is never claimed again, so a contact that already shared one
     * before identities were unique can still be written.
     */
    update(contact: Contact, previous: Contact): Effect.Effect<void, StorageError | VersionConflictError | IdentityTakenError>
    /** The tenant's contact that holds this identity (in its normalised form), or `null`; one statement. */
    findByIdentity(tenantId: string, identity: ContactIdentity): Effect.Effect<Contact | null, StorageError>
    /**
     * One page of the tenant's contacts whose name key (see `contactNameKey`) starts with `prefix`
     * (a name key too), sorted by name key then id (ascending, comparing code points); merged
     * contacts (tombstones) are left out.
     */
    listByNamePrefix(tenantId: string, prefix: string, slice: NameSlice): Effect.Effect<ReadonlyArray<Contact>, StorageError>
    /** How many of the tenant's contacts have each of these types (types with none are left out). */
    countByType(tenantId: string, types: ReadonlyArray<string>): Effect.Effect<ReadonlyArray<ContactTypeCount>, StorageError>
    /** Gives every contact of type `from` the type `to` (each one's version moves by 1); answers how many. */
    replaceType(tenantId: string, from: string, to: string): Effect.Effect<number, StorageError>
  }
  /**
   * Merges of contacts (see `mergeContacts`): their records, and the moves of a contact's records
   * to another contact and back. Moves are set-based (one statement per kind of record, whatever
   * the number of records) and run under the locks of both contacts.
   */
  readonly merges: {
    /** The tenant's merge with this id, or `null`. */
    get(tenantId: string, id: string): Effect.Effect<ContactMerge | null, StorageError>
    /** Stores a new merge record. */
    insert(merge: ContactMerge): Effect.Effect<void, StorageError>
    /** Records that the merge was undone, if it was not yet; `false` otherwise. */
    markUnmerged(tenantId: string, id: string, at: string, by: string): Effect.Effect<boolean, StorageError>
    /** The newest merge into `primaryId` made at or after `since` and not undone, or `null`. */
    findOpenInto(tenantId: string, primaryId: string, since: string): Effect.Effect<ContactMerge | null, StorageError>
    /** How many conversations, notes, calls and activity events are about the contact. */
    countRecords(tenantId: string, contactId: string): Effect.Effect<ContactRecordCounts, StorageError>
    /**
     * Moves every conversation, note, call and activity event about contact `fromId` to contact
     * `toId` (a note on the contact itself becomes a note on `toId`); the versions of the moved
     * conversations and notes move by 1. Answers the ids moved.
     */
    moveRecords(tenantId: string, fromId: string, toId: string): Effect.Effect<MovedRecords, StorageError>
    /**
     * Moves back what `moveRecords` moved, as it does: the conversations of `moved` still about
     * contact `fromId` go to contact `toId` with every note, call and activity event on them
     * (those recorded since included: they follow their conversation); of the records on the
     * contact itself (notes on it, events on no conversation), those of `moved` go, the others
     * stay. Answers how many of each kind moved.
     */
    returnRecords(tenantId: string, fromId: string, toId: string, moved: MovedRecords): Effect.Effect<ContactRecordCounts, StorageError>
    /**
     * For an erasure of the contact: deletes the records of the merges it took part in (they hold
     * both contacts as they were), and erases the contacts merged into it (see `erasedContact`,
     * at `at`). Answers the ids of those contacts.
     */
    eraseByContact(tenantId: string, contactId: string, at: string): Effect.Effect<ReadonlyArray<string>, StorageError>
  }
  readonly conversations: {
    /** The tenant's record with this id, or `null`. */
    get(tenantId: string, id: string): Effect.Effect<Conversation | null, StorageError>
    /** Stores a new record. */
    insert(conversation: Conversation): Effect.Effect<void, StorageError>
    /** Replaces a stored record. */
    update(conversation: Conversation): Effect.Effect<void, StorageError | VersionConflictError>
    /** The contact's conversations on every channel, only those in `reach` when given. */
    listByContact(tenantId: string, contactId: string, slice: Slice, reach?: ConversationReach): Effect.Effect<ReadonlyArray<ConversationSummary>, StorageError>
    /** The tenant's conversations that match every criterion of the filter, newest activity first. */
    search(tenantId: string, filter: StoreConversationFilter, slice: Slice): Effect.Effect<ReadonlyArray<ConversationSummary>, StorageError>
    /**
     * Conversations created in `[from, to)` counted by `dimension`, largest count first then by
     * key. Archived catalog records still count; rows with a count of 0 are left out. With the
     * `attribute` dimension, `attribute` names the attribute (its key and target) whose stored
     * text is the row's key and name (`null` for conversations without a value).
     */
    volumes(
      tenantId: string,
      dimension: ReportDimension,
      from: string,
      to: string,
      attribute?: { readonly key: string; readonly target: AttributeTarget },
    ): Effect.Effect<ReadonlyArray<VolumeRow>, StorageError>
  }
  readonly departments: {
    /** The tenant's record with this id, or `null`. */
    get(tenantId: string, id: string): Effect.Effect<Department | null, StorageError>
    /** The tenant's record with this normalised name (archived or not), or `null`. */
    findByName(tenantId: string, normalizedName: string): Effect.Effect<Department | null, StorageError>
    /** One page of the tenant's records sorted by normalised name then id (see {@link CatalogSlice}). */
    list(tenantId: string, slice: CatalogSlice): Effect.Effect<ReadonlyArray<Department>, StorageError>
    /** Stores a new record. */
    insert(department: Department): Effect.Effect<void, StorageError | NameTakenError>
    /** Replaces a stored record. */
    update(department: Department): Effect.Effect<void, StorageError | NameTakenError>
  }
  /** The agent directory, keyed by agent id: agents are deactivated, never deleted. */
  readonly agents: {
    /** The tenant's agent with this id, or `null`. */
    get(tenantId: string, id: string): Effect.Effect<Agent | null, StorageError>
    /** Stores a new agent; fails with {@link NameTakenError} when the tenant has one with this id. */
    insert(agent: Agent): Effect.Effect<void, StorageError | NameTakenError>
    /** Replaces a stored agent, with optimistic concurrency. */
    update(agent: Agent): Effect.Effect<void, StorageError | VersionConflictError>
    /** One page of the tenant's agents sorted by id (see {@link AgentSlice}). */
    list(tenantId: string, slice: AgentSlice): Effect.Effect<ReadonlyArray<Agent>, StorageError>
  }
  readonly notes: {
    /** The tenant's record with this id, or `null`. */
    get(tenantId: string, id: string): Effect.Effect<Note | null, StorageError>
    /** Stores a new record. */
    insert(note: Note): Effect.Effect<void, StorageError>
    /** Replaces a stored record. */
    update(note: Note): Effect.Effect<void, StorageError | VersionConflictError>
    /** One page of the live notes (not deleted) of a subject, newest first; only `authorId`'s when given. */
    listBySubject(tenantId: string, subject: NoteSubject, slice: Slice, authorId?: string): Effect.Effect<ReadonlyArray<Note>, StorageError>
    /**
     * One page of every note about the contact (on the contact or on one of its conversations),
     * deleted ones too, newest first: what an export of the contact's data holds.
     */
    listByContact(tenantId: string, contactId: string, slice: Slice): Effect.Effect<ReadonlyArray<Note>, StorageError>
    /**
     * Erases every note about the contact: its body and every earlier body become `erasedMarker`,
     * its version moves by 1; nothing else changes and no note is deleted. Answers how many notes.
     */
    eraseByContact(tenantId: string, contactId: string): Effect.Effect<number, StorageError>
    /**
     * Erases, like `eraseByContact`, at most `limit` of the tenant's notes created before `before`
     * whose body is not `erasedMarker` yet, oldest first. Answers the notes it erased (fewer than
     * `limit`: none is left), for the events about them to be erased too.
     */
    purgeBefore(
      tenantId: string,
      before: string,
      limit: number,
    ): Effect.Effect<ReadonlyArray<{ readonly id: string; readonly contactId: string }>, StorageError>
  }
  readonly keywords: {
    /** The tenant's record with this id, or `null`. */
    get(tenantId: string, id: string): Effect.Effect<Keyword | null, StorageError>
    /**
     * Like `get`, and locks the record until the transaction ends: attaching and detaching read
     * the keyword with `share`, a merge reads both keywords with `update`, so that a merge waits
     * for the attachments in flight and the attachments after it see it merged.
     */
    getLocked(tenantId: string, id: string, mode: LockMode): Effect.Effect<Keyword | null, StorageError>
    /** The tenant's record with this normalised name (archived or not), or `null`. */
    findByName(tenantId: string, normalizedName: string): Effect.Effect<Keyword | null, StorageError>
    /** One page of the tenant's records sorted by normalised name then id (see {@link CatalogSlice}). */
    list(tenantId: string, slice: CatalogSlice): Effect.Effect<ReadonlyArray<Keyword>, StorageError>
    /** Stores a new record. */
    insert(keyword: Keyword): Effect.Effect<void, StorageError | NameTakenError>
    /** Replaces a stored record. */
    update(keyword: Keyword): Effect.Effect<void, StorageError | NameTakenError>
  }
  readonly labels: {
    /** The tenant's record with this id, or `null`. */
    get(tenantId: string, id: string): Effect.Effect<Label | null, StorageError>
    /** The tenant's record with this normalised name (archived or not), or `null`. */
    findByName(tenantId: string, normalizedName: string): Effect.Effect<Label | null, StorageError>
    /** One page of the tenant's records sorted by normalised name then id (see {@link CatalogSlice}). */
    list(tenantId: string, slice: CatalogSlice): Effect.Effect<ReadonlyArray<Label>, StorageError>
    /** Stores a new record. */
    insert(label: Label): Effect.Effect<void, StorageError | NameTakenError>
    /** Replaces a stored record. */
    update(label: Label): Effect.Effect<void, StorageError | NameTakenError>
  }
  /**
   * Keywords and labels on conversations, as sets changed one element at a time: attaching what
   * is attached, or detaching what is not, changes nothing and answers `false`. Safe under
   * concurrent writers (two agents attaching at once both succeed).
   */
  readonly tagging: {
    /** Attaches a keyword; `false` when it was attached already. */
    attachKeyword(tenantId: string, conversationId: string, keywordId: string, at: string): Effect.Effect<boolean, StorageError>
    /** Detaches a keyword; `false` when it was not attached. */
    detachKeyword(tenantId: string, conversationId: string, keywordId: string): Effect.Effect<boolean, StorageError>
    /** The conversation's keywords, sorted by normalised name. */
    keywordsOf(tenantId: string, conversationId: string): Effect.Effect<ReadonlyArray<Keyword>, StorageError>
    /**
     * Moves every attachment of keyword `fromId` to `toId` (a conversation that had both keeps
     * one). Answers the number of conversations that had `fromId`.
     */
    moveKeyword(tenantId: string, fromId: string, toId: string, at: string): Effect.Effect<number, StorageError>
    /** Applies a label; `false` when it was applied already. */
    applyLabel(tenantId: string, conversationId: string, labelId: string, at: string): Effect.Effect<boolean, StorageError>
    /** Removes a label; `false` when it was not applied. */
    removeLabel(tenantId: string, conversationId: string, labelId: string): Effect.Effect<boolean, StorageError>
    /** The conversation's labels, sorted by normalised name. */
    labelsOf(tenantId: string, conversationId: string): Effect.Effect<ReadonlyArray<Label>, StorageError>
  }
  readonly calls: {
    /** The tenant's record with this id, or `null`. */
    get(tenantId: string, id: string): Effect.Effect<CallAttempt | null, StorageError>
    /**
     * Like `get`, and locks the record until the transaction ends: status changes read the call
     * with `update` before they write it, so that two changes never overwrite each other.
     */
    getLocked(tenantId: string, id: string, mode: LockMode): Effect.Effect<CallAttempt | null, StorageError>
    /** The tenant's call attempt made with this idempotency key, or `null`. */
    findByIdempotencyKey(tenantId: string, key: string): Effect.Effect<CallAttempt | null, StorageError>
    /** The tenant's call attempt with this telephony call id, or `null`. */
    findByProviderCallId(tenantId: string, providerCallId: string): Effect.Effect<CallAttempt | null, StorageError>
    /** Fails with {@link IdempotencyConflictError} when the tenant already has the key. */
    insert(call: CallAttempt): Effect.Effect<void, StorageError | IdempotencyConflictError>
    /** Replaces a stored record. */
    update(call: CallAttempt): Effect.Effect<void, StorageError>
    /** One page of the conversation's call attempts, newest first by `createdAt` then `id`. */
    listByConversation(tenantId: string, conversationId: string, slice: Slice): Effect.Effect<ReadonlyArray<CallAttempt>, StorageError>
    /** One page of the call attempts to the contact, on every conversation, newest first by `createdAt` then `id`. */
    listByContact(tenantId: string, contactId: string, slice: Slice): Effect.Effect<ReadonlyArray<CallAttempt>, StorageError>
    /**
     * Erases the provider data of every call attempt to the contact: the number dialled and a
     * failure reason become `erasedMarker`, the telephony call id is cleared (a late status report
     * of the call finds nothing). Status, times and the caller's idempotency key stay. Answers how many.
     */
    eraseByContact(tenantId: string, contactId: string): Effect.Effect<number, StorageError>
  }
  readonly idempotency: {
    /** The tenant's stored answer for this idempotency key, or `null`. */
    find(tenantId: string, key: string): Effect.Effect<IdempotencyRecord | null, StorageError>
    /** Fails with {@link IdempotencyConflictError} when the tenant already has the key. */
    insert(record: IdempotencyRecord): Effect.Effect<void, StorageError | IdempotencyConflictError>
  }
  readonly activity: {
    /** Appends events in order; they reach the outbox in this order, after earlier commits. */
    append(events: ReadonlyArray<ActivityEvent>): Effect.Effect<void, StorageError>
    /** The conversation's records, newest first. */
    listByConversation(tenantId: string, conversationId: string, slice: Slice): Effect.Effect<ReadonlyArray<ActivityEvent>, StorageError>
    /**
     * The contact's records, newest first; with `reach`, without the records of the contact's
     * conversations out of it.
     */
    listByContact(tenantId: string, contactId: string, slice: Slice, reach?: ConversationReach): Effect.Effect<ReadonlyArray<ActivityEvent>, StorageError>
    /**
     * The tenant's own events, newest first: those about its settings and catalogs (departments,
     * keywords, labels), which are on no conversation's or contact's timeline.
     */
    listByTenant(tenantId: string, slice: Slice): Effect.Effect<ReadonlyArray<ActivityEvent>, StorageError>
    /**
     * Erases the values of every event about the contact (its `contactId`, which every event of
     * its conversations carries): a non-null `before` or `after` becomes `erasedValues`. The events
     * stay, in place in the outbox, so that a reader of the outbox gets them without their values,
     * however late it reads. Answers how many events.
     */
    eraseByContact(tenantId: string, contactId: string): Effect.Effect<number, StorageError>
    /**
     * Erases, like `eraseByContact`, the values of at most `limit` of the tenant's events that
     * happened before `before` and still have some, oldest first; `contact.erased` events (the
     * record of an erasure) keep theirs. Answers how many: fewer than `limit` means none is left.
     */
    purgeBefore(tenantId: string, before: string, limit: number): Effect.Effect<number, StorageError>
    /**
     * Erases, like `eraseByContact`, the values of the events about these notes (each given with
     * its contact): the bodies a note's events carry go with the note's. Answers how many events.
     */
    eraseAboutNotes(tenantId: string, notes: ReadonlyArray<{ readonly id: string; readonly contactId: string }>): Effect.Effect<number, StorageError>
    /**
     * Events of every tenant that come after the event at `afterPosition` in outbox order (`0`:
     * from the start), at most `limit`, in that order. Pass the last entry's position to read on: a
     * reader that does so never skips a committed event and never reads one twice, and reads each
     * transaction's events in the order they were appended. A transaction that began writing after
     * another committed comes after it. An event appears only once no transaction that started
     * before it can still add an event ahead of it, so the newest commits may take a moment.
     * An event about a note deleted by the time of the read comes without the note's `body` in
     * `before` and `after` (see `withoutNoteBody`): nothing deleted leaves the store after its
     * deletion, however late the event is read or read again.
     */
    readOutbox(afterPosition: number, limit: number): Effect.Effect<ReadonlyArray<OutboxEntry>, StorageError>
    /**
     * How far the outbox runs past the event at `afterPosition`: the committed events after it
     * (counted up to a cap of at least 1,000,000) and the time of the oldest of them.
     */
    outboxBacklog(afterPosition: number): Effect.Effect<OutboxBacklog, StorageError>
  }
  /**
   * Webhook subscriptions with their secrets, and their dead letters. `update` writes what an
   * admin changes, with optimistic concurrency, and never the delivery state
   * (`consecutiveDeadLetters`, `failingSince`), which only `setDeliveryState` writes, without a
   * version: the delivering relay and an admin never overwrite each other's fields. Deleting a
   * subscription deletes its dead letters.
   */
  readonly webhooks: {
    /** The tenant's subscription with this id, or `null`. */
    get(tenantId: string, id: string): Effect.Effect<StoredWebhookSubscription | null, StorageError>
    /** The tenant's subscriptions, newest first by `createdAt` then `id`. */
    list(tenantId: string, slice: Slice): Effect.Effect<ReadonlyArray<StoredWebhookSubscription>, StorageError>
    /** The tenant's enabled subscriptions, oldest first: the ones a relay delivers to. */
    listEnabled(tenantId: string): Effect.Effect<ReadonlyArray<StoredWebhookSubscription>, StorageError>
    /** Stores a new subscription. */
    insert(subscription: StoredWebhookSubscription): Effect.Effect<void, StorageError>
    /** Replaces what an admin changes (everything but the delivery state), with optimistic concurrency. */
    update(subscription: StoredWebhookSubscription): Effect.Effect<void, StorageError | VersionConflictError>
    /** Writes the delivery state; `false` when the subscription does not exist. */
    setDeliveryState(
      tenantId: string,
      id: string,
      state: { readonly consecutiveDeadLetters: number; readonly failingSince: string | null },
    ): Effect.Effect<boolean, StorageError>
    /** Deletes a subscription and its dead letters; `false` when it did not exist. */
    delete(tenantId: string, id: string): Effect.Effect<boolean, StorageError>
    /**
     * Sets an event aside for a subscription. A second dead letter of the same event for the same
     * subscription replaces the first one's attempts, error and time, and keeps its id.
     */
    putDeadLetter(deadLetter: StoredWebhookDeadLetter): Effect.Effect<void, StorageError>
    /** The tenant's dead letter with this id, or `null`. */
    getDeadLetter(tenantId: string, id: string): Effect.Effect<StoredWebhookDeadLetter | null, StorageError>
    /** A subscription's dead letters, newest first by `deadLetteredAt` then `id`. */
    listDeadLetters(tenantId: string, subscriptionId: string, slice: Slice): Effect.Effect<ReadonlyArray<StoredWebhookDeadLetter>, StorageError>
    /**
     * A subscription's dead letters set aside at or before `until`, oldest first by
     * `deadLetteredAt` then `id`, at most `limit`: what a replay sends again.
     */
    deadLettersUntil(
      tenantId: string,
      subscriptionId: string,
      until: string,
      limit: number,
    ): Effect.Effect<ReadonlyArray<StoredWebhookDeadLetter>, StorageError>
    /** Deletes a dead letter; `false` when it did not exist. */
    deleteDeadLetter(tenantId: string, id: string): Effect.Effect<boolean, StorageError>
    /**
     * Erases the values of the dead letters' events about the contact (as `activity.eraseByContact`
     * does), so that a replay sends nothing erased. Answers how many dead letters.
     */
    eraseDeadLettersByContact(tenantId: string, contactId: string): Effect.Effect<number, StorageError>
  }
  /**
   * Custom attribute definitions (keys unique per tenant: `insert` fails with
   * {@link NameTakenError} for a key taken) and the values of contacts and conversations, one per
   * subject and key.
   */
  readonly attributes: {
    /** The tenant's definition with this id, or `null`. */
    get(tenantId: string, id: string): Effect.Effect<AttributeDefinition | null, StorageError>
    /** The tenant's definitions with these keys (archived or not), in any order; unknown keys are left out. */
    findByKeys(tenantId: string, keys: ReadonlyArray<string>): Effect.Effect<ReadonlyArray<AttributeDefinition>, StorageError>
    /** One page of the tenant's definitions sorted by key then id (see {@link AttributeSlice}). */
    list(tenantId: string, slice: AttributeSlice): Effect.Effect<ReadonlyArray<AttributeDefinition>, StorageError>
    /** The tenant's live (not archived) required definitions of a target. */
    requiredOf(tenantId: string, target: AttributeTarget): Effect.Effect<ReadonlyArray<AttributeDefinition>, StorageError>
    /** Stores a new definition. */
    insert(definition: AttributeDefinition): Effect.Effect<void, StorageError | NameTakenError>
    /** Replaces a stored definition, with optimistic concurrency. */
    update(definition: AttributeDefinition): Effect.Effect<void, StorageError | VersionConflictError>
    /** The subject's values, sorted by key. */
    valuesOf(tenantId: string, subject: AttributeSubject): Effect.Effect<ReadonlyArray<StoredAttributeValue>, StorageError>
    /** Stores the subject's value of `value.key`, replacing the one it had. */
    putValue(value: StoredAttributeValue): Effect.Effect<void, StorageError>
    /** Removes the subject's value of `key`; `false` when it had none. */
    deleteValue(tenantId: string, subject: AttributeSubject, key: string): Effect.Effect<boolean, StorageError>
    /**
     * Removes the values of the contact and of its conversations whose type an erasure does not
     * keep (see `typesKeptOnErasure`); answers how many.
     */
    eraseByContact(tenantId: string, contactId: string): Effect.Effect<number, StorageError>
  }
  readonly details: {
    /**
     * Everything the Details panel of a conversation shows, in one read (see
     * {@link DetailsSnapshot}), each list cut at its limit (see {@link DetailsLimits}), with the
     * newest live note of the reader on the conversation since it was last assigned (or opened);
     * `null` when the conversation is not the tenant's. For a reader with the `agent` role, the
     * tenant's visibility rules apply in the same read: the note pages hold only the notes the
     * reader reads (`noteReadScope`; with `none`, no note) and, under a `department` history
     * rule, the history page only the conversations in the reader's reach. The conversation itself
     * is returned whatever the rules: the caller decides (`canReadConversation`).
     */
    load(tenantId: string, conversationId: string, limits: DetailsLimits, reader: DetailsReader): Effect.Effect<DetailsSnapshot | null, StorageError>
  }
}

/**
 * The storage port: repositories reached through a unit of work.
 *
 * `transaction(work)` runs `work` all-or-nothing: when it fails (with any error, a defect or an
 * interruption) nothing it wrote is kept, and no other caller sees its writes before it succeeds.
 * `query(work)` runs reads with no transaction, so that a store can answer a single-statement read
 * in one round trip.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Storage } from "rmc-details"
 * const program = Effect.gen(function* () {
 *   const storage = yield* Storage
 *   return yield* storage.query((r) => r.contacts.get("acme", "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11"))
 * })
 * ```
 */
export class Storage extends Context.Service<
  Storage,
  {
    /** Runs `work` all-or-nothing, isolated from other callers until it succeeds. */
    transaction<A, E, R>(work: (repositories: StorageRepositories) => Effect.Effect<A, E, R>): Effect.Effect<A, E | StorageError, R>
    /** Runs reads with no transaction. */
    query<A, E, R>(work: (repositories: StorageRepositories) => Effect.Effect<A, E, R>): Effect.Effect<A, E | StorageError, R>
  }
>()("rmc-details/Storage") {}
