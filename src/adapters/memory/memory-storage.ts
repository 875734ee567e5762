import { Effect, Layer, Semaphore } from "effect"
import type { OutboxEntry } from "../../domain/activity/activity-event"
import { type AttributeDefinition, type AttributeSubject, type StoredAttributeValue, valuesByKey } from "../../domain/attribute/attribute-definition"
import { attributeText } from "../../domain/attribute/normalize-attribute-value"
import { isNoteEvent, withoutNoteBody } from "../../domain/activity/without-note-body"
import { erasedCall, erasedContact, erasedEvent, erasedMarker, erasedNote, isErasedEvent, typesKeptOnErasure } from "../../domain/privacy/erasure"
import type { Agent } from "../../domain/agent/agent"
import type { CallAttempt } from "../../domain/call/call-attempt"
import type { Contact } from "../../domain/contact/contact"
import { type ContactIdentity, contactNameKey, identitiesOf, identityChanges } from "../../domain/contact/contact-identity"
import type { Conversation, ConversationSummary } from "../../domain/conversation/conversation"
import type { Department } from "../../domain/department/department"
import type { ContactMerge, MovedRecords } from "../../domain/merge/contact-merge"
import type { Note, NoteSubject } from "../../domain/note/note"
import type { VolumeRow } from "../../domain/search/volume-report"
import { type EntityKind, IdempotencyConflictError, IdentityTakenError, NameTakenError, VersionConflictError } from "../../domain/shared/errors"
import { compareText, nameOrder, newestFirst, orderBy, volumeOrder } from "../../domain/shared/ordering"
import type { CursorKey } from "../../domain/shared/page"
import type { Keyword } from "../../domain/tagging/keyword"
import type { Label } from "../../domain/tagging/label"
import { defaultTenantSettings, type TenantSettings } from "../../domain/tenant/tenant-settings"
import { inAgentsReach } from "../../domain/visibility/conversation-readers"
import { type NoteReadScope, noteReadScope } from "../../domain/visibility/note-read-scope"
import type { StoredWebhookDeadLetter, StoredWebhookSubscription } from "../../domain/webhooks/webhook-subscription"
import {
  type CatalogSlice,
  type ConversationReach,
  type IdempotencyRecord,
  type NameSlice,
  type Slice,
  Storage,
  type StorageRepositories,
  type AttributeSlice,
  type StoreAttributeCondition,
  type StoreConversationFilter,
} from "../../ports/storage"
import { Table } from "./table"

const key = (...parts: ReadonlyArray<string>) => parts.join("\u0000")

/** The contact that holds an identity. */
interface IdentityHolder {
  readonly identity: ContactIdentity
  readonly contactId: string
}

const identityRowKey = (tenantId: string, identity: ContactIdentity) => key(tenantId, identity.kind, identity.value)

/** A keyword or label on a conversation. */
interface Tagging {
  readonly tenantId: string
  readonly conversationId: string
  readonly tagId: string
  readonly at: string
}

const catalogTable = <A extends { readonly tenantId: string; readonly normalizedName: string }>() =>
  Table.empty<A, "tenant" | "name">({ tenant: (r) => r.tenantId, name: (r) => key(r.tenantId, r.normalizedName) })

const taggingTable = () =>
  Table.empty<Tagging, "conversation" | "tag">({
    conversation: (t) => key(t.tenantId, t.conversationId),
    tag: (t) => key(t.tenantId, t.tagId),
  })

/**
 * Everything the store holds, as one immutable value: persistent tables (see {@link Table}) and the
 * last outbox position. The indexes are there so that no call reads more than the records it is
 * about (a subject's notes, a contact's conversations) or, for search and reports, its tenant's.
 */
interface State {
  readonly settings: Table<TenantSettings>
  readonly contacts: Table<Contact, "type" | "tenant">
  /** Who holds each identity of a tenant, by tenant, kind and value: one contact per identity. */
  readonly identities: Table<IdentityHolder>
  readonly conversations: Table<Conversation, "tenant" | "contact">
  readonly departments: Table<Department, "tenant" | "name">
  readonly agents: Table<Agent, "tenant">
  readonly keywords: Table<Keyword, "tenant" | "name">
  readonly labels: Table<Label, "tenant" | "name">
  readonly notes: Table<Note, "subject" | "contact" | "tenant">
  readonly calls: Table<CallAttempt, "conversation" | "contact" | "idempotencyKey" | "providerCall">
  readonly idempotency: Table<IdempotencyRecord>
  readonly keywordTags: Table<Tagging, "conversation" | "tag">
  readonly labelTags: Table<Tagging, "conversation" | "tag">
  /** Outbox entries by position, which runs 1, 2, 3... in commit order. */
  readonly activity: Table<OutboxEntry, "conversation" | "contact" | "tenant" | "allOfTenant">
  readonly lastPosition: number
  readonly webhookSubscriptions: Table<StoredWebhookSubscription, "tenant">
  readonly webhookDeadLetters: Table<StoredWebhookDeadLetter, "subscription" | "event" | "eventId">
  readonly attributeDefinitions: Table<AttributeDefinition, "tenant" | "key">
  readonly attributeValues: Table<StoredAttributeValue, "subject" | "key">
  readonly merges: Table<ContactMerge, "primary">
}

type TableName = Exclude<keyof State, "lastPosition">

/** The records of the tables that the repositories below write generically. */
interface Records {
  readonly contacts: Contact
  readonly conversations: Conversation
  readonly notes: Note
  readonly departments: Department
  readonly keywords: Keyword
  readonly labels: Label
}

const subjectKey = (tenantId: string, subject: NoteSubject | AttributeSubject) => key(tenantId, subject.kind, subject.id)

const emptyState = (): State => ({
  settings: Table.empty({}),
  contacts: Table.empty({ type: (c) => key(c.tenantId, c.type), tenant: (c) => c.tenantId }),
  identities: Table.empty({}),
  conversations: Table.empty({ tenant: (c) => c.tenantId, contact: (c) => key(c.tenantId, c.contactId) }),
  departments: catalogTable(),
  agents: Table.empty({ tenant: (a) => a.tenantId }),
  keywords: catalogTable(),
  labels: catalogTable(),
  notes: Table.empty({ subject: (n) => subjectKey(n.tenantId, n.subject), contact: (n) => key(n.tenantId, n.contactId), tenant: (n) => n.tenantId }),
  calls: Table.empty({
    conversation: (c) => key(c.tenantId, c.conversationId),
    contact: (c) => key(c.tenantId, c.contactId),
    idempotencyKey: (c) => key(c.tenantId, c.idempotencyKey),
    providerCall: (c) => (c.providerCallId === null ? null : key(c.tenantId, c.providerCallId)),
  }),
  idempotency: Table.empty({}),
  keywordTags: taggingTable(),
  labelTags: taggingTable(),
  activity: Table.empty({
    conversation: ({ event }) => (event.conversationId === null ? null : key(event.tenantId, event.conversationId)),
    contact: ({ event }) => (event.contactId === null ? null : key(event.tenantId, event.contactId)),
    // The tenant's own feed: events on no conversation's or contact's timeline.
    tenant: ({ event }) => (event.conversationId === null && event.contactId === null ? event.tenantId : null),
    // Every event of the tenant: what a retention purge reads.
    allOfTenant: ({ event }) => event.tenantId,
  }),
  lastPosition: 0,
  webhookSubscriptions: Table.empty({ tenant: (w) => w.tenantId }),
  webhookDeadLetters: Table.empty({
    subscription: (d) => key(d.tenantId, d.subscriptionId),
    event: (d) => key(d.tenantId, d.subscriptionId, d.eventId),
    eventId: (d) => key(d.tenantId, d.eventId),
  }),
  attributeDefinitions: Table.empty({ tenant: (d) => d.tenantId, key: (d) => key(d.tenantId, d.key) }),
  attributeValues: Table.empty({ subject: (v) => subjectKey(v.tenantId, v.subject), key: (v) => key(v.tenantId, v.key) }),
  merges: Table.empty({ primary: (m) => key(m.tenantId, m.primaryId) }),
})

/**
 * The state a unit of work reads and writes: each write replaces one table of `current` with the
 * changed table. Outside transactions (`query`) it is not writable.
 *
 * Why persistent tables: a transaction must be all-or-nothing and unseen until it commits, while
 * queries go on without waiting for it. Copying the state for each transaction makes every write
 * cost the size of the store; copying a map on its first write in a transaction still does for the
 * big ones (notes, outbox); an undo log writes into the live maps, so queries would see uncommitted
 * writes unless they waited for the lock. With persistent tables a transaction gets a version of its
 * own for the price of the few nodes it changes: committing is one assignment, and a failure, a
 * defect or an interruption at any point just drops the draft.
 */
interface Draft {
  current: State
  writable: boolean
}

// Callers get copies and the store keeps copies: nobody can change a stored record by mutating it.
const copy = <A>(value: A): A => structuredClone(value)

const page = <A>(rows: ReadonlyArray<A>, keyOf: (row: A) => CursorKey, slice: Slice): Array<A> => {
  const { after } = slice
  const rest = after === undefined ? [...rows] : rows.filter((row) => newestFirst(after, keyOf(row)) < 0)
  return rest.sort((x, y) => newestFirst(keyOf(x), keyOf(y))).slice(0, slice.limit)
}

const byName = orderBy(nameOrder, (row: { readonly normalizedName: string; readonly id: string }) => ({ name: row.normalizedName, id: row.id }))

const identityTaken = (identity: ContactIdentity, contactId: string) =>
  new IdentityTakenError({ message: `${identity.kind} ${identity.value} belongs to contact ${contactId}`, identity, contactId })

const conflict = (entity: EntityKind, id: string, expected: number, actual: number) =>
  new VersionConflictError({ message: `${entity} ${id} is at version ${actual}, not ${expected}`, entity, id, expected, actual })

const repositories = (draft: Draft): StorageRepositories => {
  const s = () => draft.current

  /** Runs a write against the draft; a write outside a transaction is a defect of the caller. */
  const write = <A, E>(change: () => Effect.Effect<A, E>): Effect.Effect<A, E> =>
    Effect.suspend(() => (draft.writable ? change() : Effect.die(new Error("the store is written in transactions only"))))

  const put = <K extends TableName>(table: K, next: State[K]) => {
    draft.current = { ...draft.current, [table]: next }
  }

  const versioned = <K extends "contacts" | "conversations" | "notes">(table: K, entity: EntityKind, record: Records[K]) =>
    write(() => {
      const rows = s()[table] as unknown as Table<Records[K]>
      const stored = rows.get(key(record.tenantId, record.id))
      if (stored === undefined || stored.version !== record.version - 1) {
        return Effect.fail(conflict(entity, record.id, record.version - 1, stored?.version ?? 0))
      }
      put(table, rows.set(key(record.tenantId, record.id), copy(record)) as unknown as State[K])
      return Effect.void
    })

  const insert = <K extends "contacts" | "conversations" | "notes">(table: K, record: Records[K]) =>
    write(() => {
      const rows = s()[table] as unknown as Table<Records[K]>
      put(table, rows.set(key(record.tenantId, record.id), copy(record)) as unknown as State[K])
      return Effect.void
    })

  /** Gives `contactId` the identities `gained` and takes `lost` from it, or fails naming who holds one of `gained`. */
  const claim = (tenantId: string, contactId: string, gained: ReadonlyArray<ContactIdentity>, lost: ReadonlyArray<ContactIdentity>) =>
    write(() => {
      let rows = s().identities
      for (const identity of lost) {
        if (rows.get(identityRowKey(tenantId, identity))?.contactId === contactId) rows = rows.remove(identityRowKey(tenantId, identity))
      }
      for (const identity of gained) {
        const holder = rows.get(identityRowKey(tenantId, identity))
        if (holder !== undefined && holder.contactId !== contactId) return Effect.fail(identityTaken(identity, holder.contactId))
        rows = rows.set(identityRowKey(tenantId, identity), { identity, contactId })
      }
      put("identities", rows)
      return Effect.void
    })

  const contactsByName = (tenantId: string, prefix: string, slice: NameSlice) => {
    const { after } = slice
    return s()
      .contacts.find("tenant", tenantId)
      .filter((contact) => contact.mergedInto === null)
      .map((contact) => ({ contact, normalizedName: contactNameKey(contact.fullName), id: contact.id }))
      .filter((row) => row.normalizedName.startsWith(prefix) && (after === undefined || byName(row, { normalizedName: after.name, id: after.id }) > 0))
      .sort(byName)
      .slice(0, slice.limit)
      .map((row) => copy(row.contact))
  }

  const catalog = <K extends "departments" | "keywords" | "labels">(table: K, entity: "department" | "keyword" | "label") => {
    type A = Records[K]
    const rows = () => s()[table] as unknown as Table<A, "tenant" | "name">
    const findByName = (tenantId: string, normalizedName: string) => rows().find("name", key(tenantId, normalizedName))[0]
    const store = (record: A) => {
      const taken = findByName(record.tenantId, record.normalizedName)
      if (taken !== undefined && taken.id !== record.id) {
        return Effect.fail(new NameTakenError({ message: `A ${entity} named "${taken.name}" already exists`, entity, name: record.name }))
      }
      put(table, rows().set(key(record.tenantId, record.id), copy(record)) as unknown as State[K])
      return Effect.void
    }
    return {
      get: (tenantId: string, id: string) => Effect.sync(() => copy(rows().get(key(tenantId, id)) ?? null)),
      findByName: (tenantId: string, normalizedName: string) => Effect.sync(() => copy(findByName(tenantId, normalizedName) ?? null)),
      list: (tenantId: string, slice: CatalogSlice) =>
        Effect.sync(() => {
          const { after, nameContains } = slice
          return rows()
            .find("tenant", tenantId)
            .filter(
              (r) =>
                (slice.includeArchived || r.archivedAt === null) &&
                (nameContains === undefined || r.normalizedName.includes(nameContains)) &&
                (after === undefined || byName(r, { normalizedName: after.name, id: after.id }) > 0),
            )
            .sort(byName)
            .slice(0, slice.limit)
            .map(copy)
        }),
      insert: (record: A) =>
        write(() => (rows().has(key(record.tenantId, record.id)) ? Effect.die(new Error(`${entity} ${record.id} exists already`)) : store(record))),
      update: (record: A) =>
        write(() => (rows().has(key(record.tenantId, record.id)) ? store(record) : Effect.die(new Error(`${entity} ${record.id} does not exist`)))),
    }
  }

  const tag = (table: "keywordTags" | "labelTags", tenantId: string, conversationId: string, tagId: string, at: string) =>
    write(() => {
      const rowKey = key(tenantId, conversationId, tagId)
      if (s()[table].has(rowKey)) return Effect.succeed(false)
      put(table, s()[table].set(rowKey, { tenantId, conversationId, tagId, at }))
      return Effect.succeed(true)
    })

  const untag = (table: "keywordTags" | "labelTags", tenantId: string, conversationId: string, tagId: string) =>
    write(() => {
      const rowKey = key(tenantId, conversationId, tagId)
      if (!s()[table].has(rowKey)) return Effect.succeed(false)
      put(table, s()[table].remove(rowKey))
      return Effect.succeed(true)
    })

  const tagged = (table: "keywordTags" | "labelTags", tenantId: string, conversationId: string, tagId: string) =>
    s()[table].has(key(tenantId, conversationId, tagId))

  const catalogRecordsOf = <A extends { readonly normalizedName: string; readonly id: string }>(
    tags: Table<Tagging, "conversation" | "tag">,
    records: Table<A, string>,
    tenantId: string,
    conversationId: string,
  ): Array<A> =>
    tags
      .find("conversation", key(tenantId, conversationId))
      .map((t) => records.get(key(tenantId, t.tagId)))
      .filter((r): r is A => r !== undefined)
      .sort(byName)
      .map(copy)

  const summaryOf = (c: Conversation): ConversationSummary => ({
    id: c.id,
    contactId: c.contactId,
    channel: c.channel,
    status: c.status,
    assigneeId: c.assigneeId,
    departmentId: c.departmentId,
    departmentName: c.departmentId === null ? null : (s().departments.get(key(c.tenantId, c.departmentId))?.name ?? null),
    labels: catalogRecordsOf(s().labelTags, s().labels, c.tenantId, c.id).map((l) => ({ id: l.id, name: l.name, color: l.color })),
    createdAt: c.createdAt,
    lastActivityAt: c.lastActivityAt,
  })

  const conversationKey = (c: Conversation) => ({ at: c.lastActivityAt, id: c.id })

  const valueKey = (tenantId: string, subject: AttributeSubject, attributeKey: string) => key(subjectKey(tenantId, subject), attributeKey)

  const attributeHolds = (c: Conversation, condition: StoreAttributeCondition): boolean => {
    const subject = { kind: condition.target, id: condition.target === "contact" ? c.contactId : c.id }
    const stored = s().attributeValues.get(valueKey(c.tenantId, subject, condition.key))
    const { match } = condition
    if (match.kind === "exists") return (stored !== undefined) === match.exists
    if (stored === undefined) return false
    if (match.kind === "in") return match.texts.includes(attributeText(stored.value))
    const value = match.on === "number" ? stored.value : attributeText(stored.value)
    if (match.on === "number" && typeof value !== "number") return false
    return (match.min === undefined || value >= match.min) && (match.max === undefined || value <= match.max)
  }

  const matches = (c: Conversation, f: StoreConversationFilter): boolean => {
    const keyword = (id: string) => tagged("keywordTags", c.tenantId, c.id, id)
    const label = (id: string) => tagged("labelTags", c.tenantId, c.id, id)
    const contact = s().contacts.get(key(c.tenantId, c.contactId))
    return (
      (f.keywords?.anyOf === undefined || f.keywords.anyOf.some(keyword)) &&
      (f.keywords?.allOf === undefined || f.keywords.allOf.every(keyword)) &&
      (f.labels?.anyOf === undefined || f.labels.anyOf.some(label)) &&
      (f.labels?.allOf === undefined || f.labels.allOf.every(label)) &&
      (f.departmentIds === undefined || (c.departmentId !== null && f.departmentIds.includes(c.departmentId))) &&
      (f.channels === undefined || f.channels.includes(c.channel)) &&
      (f.status === undefined || f.status.includes(c.status)) &&
      (f.contactTypes === undefined || (contact !== undefined && f.contactTypes.includes(contact.type))) &&
      (f.contactId === undefined || c.contactId === f.contactId) &&
      (f.reach === undefined || inAgentsReach(f.reach, c)) &&
      (f.from === undefined || c.createdAt >= f.from) &&
      (f.to === undefined || c.createdAt < f.to) &&
      (f.attributes ?? []).every((condition) => attributeHolds(c, condition))
    )
  }

  // Search and reports read the tenant's conversations: a filter can be about anything.
  const conversationsOf = (tenantId: string) => s().conversations.find("tenant", tenantId)

  const listByContact = (tenantId: string, contactId: string, slice: Slice, reach?: ConversationReach) =>
    page(
      s()
        .conversations.find("contact", key(tenantId, contactId))
        .filter((c) => reach === undefined || inAgentsReach(reach, c)),
      conversationKey,
      slice,
    ).map(summaryOf)

  const callsOf = (tenantId: string, conversationId: string, slice: Slice) =>
    page(s().calls.find("conversation", key(tenantId, conversationId)), (c) => ({ at: c.createdAt, id: c.id }), slice).map(copy)

  const liveNotes = (tenantId: string, subject: NoteSubject, slice: Slice, authorId?: string) =>
    page(
      s()
        .notes.find("subject", subjectKey(tenantId, subject))
        .filter((n) => n.deletedAt === null && (authorId === undefined || n.authorId === authorId)),
      (n) => ({ at: n.createdAt, id: n.id }),
      slice,
    ).map(copy)

  const inReach = (tenantId: string, conversationId: string | null, reach: ConversationReach | undefined) => {
    if (reach === undefined || conversationId === null) return true
    const conversation = s().conversations.get(key(tenantId, conversationId))
    return conversation !== undefined && inAgentsReach(reach, conversation)
  }

  const events = (index: "conversation" | "contact" | "tenant", tenantId: string, id: string | null, slice: Slice, reach?: ConversationReach) =>
    page(
      s()
        .activity.find(index, id === null ? tenantId : key(tenantId, id))
        .map((entry) => entry.event)
        .filter((event) => inReach(tenantId, event.conversationId, reach)),
      (e) => ({ at: e.at, id: e.id }),
      slice,
    ).map(copy)

  const attributeValuesOf = (tenantId: string, subject: AttributeSubject) =>
    s()
      .attributeValues.find("subject", subjectKey(tenantId, subject))
      .sort((a, b) => compareText(a.key, b.key))
      .map(copy)

  const byKey = orderBy(nameOrder, (d: AttributeDefinition) => ({ name: d.key, id: d.id }))
  const eraseNotes = <A extends ReadonlyArray<Note>>(erased: A): A => {
    let notes = s().notes
    for (const note of erased) notes = notes.set(key(note.tenantId, note.id), erasedNote(note))
    put("notes", notes)
    return erased
  }

  const eraseEvents = (erased: ReadonlyArray<OutboxEntry>): number => {
    let activity = s().activity
    for (const entry of erased) activity = activity.set(String(entry.position), { ...entry, event: erasedEvent(entry.event) })
    put("activity", activity)
    return erased.length
  }

  /**
   * Moves the records about contact `fromId` that `pick` keeps to `toId`; answers their ids by kind.
   */
  const moveAbout = (
    tenantId: string,
    fromId: string,
    toId: string,
    pick: {
      readonly conversation: (c: Conversation) => boolean
      readonly note: (n: Note) => boolean
      readonly call: (c: CallAttempt) => boolean
      readonly event: (e: OutboxEntry["event"]) => boolean
    },
  ): MovedRecords => {
    const from = key(tenantId, fromId)
    const conversations = s().conversations.find("contact", from).filter(pick.conversation)
    let conversationRows = s().conversations
    for (const c of conversations) conversationRows = conversationRows.set(key(tenantId, c.id), { ...c, contactId: toId, version: c.version + 1 })
    put("conversations", conversationRows)
    const notes = s().notes.find("contact", from).filter(pick.note)
    let noteRows = s().notes
    for (const n of notes) {
      const subject = n.subject.kind === "contact" && n.subject.id === fromId ? { kind: "contact" as const, id: toId } : n.subject
      noteRows = noteRows.set(key(tenantId, n.id), { ...n, contactId: toId, subject, version: n.version + 1 })
    }
    put("notes", noteRows)
    const calls = s().calls.find("contact", from).filter(pick.call)
    let callRows = s().calls
    for (const c of calls) callRows = callRows.set(key(tenantId, c.id), { ...c, contactId: toId })
    put("calls", callRows)
    const events = s()
      .activity.find("contact", from)
      .filter((e) => pick.event(e.event))
    let activityRows = s().activity
    for (const e of events) activityRows = activityRows.set(String(e.position), { ...e, event: { ...e.event, contactId: toId } })
    put("activity", activityRows)
    return {
      conversations: conversations.map((c) => c.id),
      notes: notes.map((n) => n.id),
      calls: calls.map((c) => c.id),
      activity: events.map((e) => e.event.id),
    }
  }

  const findCall = (index: "idempotencyKey" | "providerCall", tenantId: string, value: string) => copy(s().calls.find(index, key(tenantId, value))[0] ?? null)

  return {
    settings: {
      get: (tenantId) => Effect.sync(() => copy(s().settings.get(tenantId) ?? null)),
      // One writing transaction at a time: a plain read is already what a locking read promises.
      getLocked: (tenantId) => Effect.sync(() => copy(s().settings.get(tenantId) ?? null)),
      put: (settings) =>
        write(() => {
          const stored = s().settings.get(settings.tenantId)
          if ((stored?.version ?? 0) !== settings.version - 1) {
            return Effect.fail(conflict("tenant", settings.tenantId, settings.version - 1, stored?.version ?? 0))
          }
          put("settings", s().settings.set(settings.tenantId, copy(settings)))
          return Effect.void
        }),
      list: (afterTenantId, limit) =>
        Effect.sync(() =>
          s()
            .settings.values()
            .filter((settings) => afterTenantId === null || settings.tenantId > afterTenantId)
            .sort((a, b) => compareText(a.tenantId, b.tenantId))
            .slice(0, limit)
            .map(copy),
        ),
    },
    contacts: {
      get: (tenantId, id) => Effect.sync(() => copy(s().contacts.get(key(tenantId, id)) ?? null)),
      // One writing transaction at a time: a plain read is already what a locking read promises.
      getLocked: (tenantId, id) => Effect.sync(() => copy(s().contacts.get(key(tenantId, id)) ?? null)),
      getLockedByConversation: (tenantId, conversationId) =>
        Effect.sync(() => {
          const conversation = s().conversations.get(key(tenantId, conversationId))
          return conversation === undefined ? null : copy(s().contacts.get(key(tenantId, conversation.contactId)) ?? null)
        }),
      insert: (contact) => Effect.andThen(claim(contact.tenantId, contact.id, identitiesOf(contact), []), insert("contacts", contact)),
      update: (contact, previous) => {
        const { gained, lost } = identityChanges(previous, contact)
        // The version is checked first: a stale `previous` must not move identities.
        return Effect.andThen(versioned("contacts", "contact", contact), claim(contact.tenantId, contact.id, gained, lost))
      },
      findByIdentity: (tenantId, identity) =>
        Effect.sync(() => {
          const holder = s().identities.get(identityRowKey(tenantId, identity))
          return holder === undefined ? null : copy(s().contacts.get(key(tenantId, holder.contactId)) ?? null)
        }),
      listByNamePrefix: (tenantId, prefix, slice) => Effect.sync(() => contactsByName(tenantId, prefix, slice)),
      countByType: (tenantId, types) =>
        Effect.sync(() =>
          [...new Set(types)].map((type) => ({ type, contacts: s().contacts.find("type", key(tenantId, type)).length })).filter((row) => row.contacts > 0),
        ),
      replaceType: (tenantId, from, to) =>
        write(() => {
          let rows = s().contacts
          const moved = rows.find("type", key(tenantId, from))
          for (const contact of moved) rows = rows.set(key(tenantId, contact.id), { ...contact, type: to, version: contact.version + 1 })
          put("contacts", rows)
          return Effect.succeed(moved.length)
        }),
    },
    conversations: {
      get: (tenantId, id) => Effect.sync(() => copy(s().conversations.get(key(tenantId, id)) ?? null)),
      insert: (conversation) => insert("conversations", conversation),
      update: (conversation) => versioned("conversations", "conversation", conversation),
      listByContact: (tenantId, contactId, slice, reach) => Effect.sync(() => listByContact(tenantId, contactId, slice, reach)),
      search: (tenantId, filter, slice) =>
        Effect.sync(() =>
          page(
            conversationsOf(tenantId).filter((c) => matches(c, filter)),
            conversationKey,
            slice,
          ).map(summaryOf),
        ),
      volumes: (tenantId, dimension, from, to, attribute) =>
        Effect.sync(() => {
          const counts = new Map<string | null, VolumeRow>()
          const count = (rowKey: string | null, name: string | null) => {
            const row = counts.get(rowKey)
            counts.set(rowKey, { key: rowKey, name, count: (row?.count ?? 0) + 1 })
          }
          for (const c of conversationsOf(tenantId).filter((c) => c.createdAt >= from && c.createdAt < to)) {
            if (dimension === "channel") count(c.channel, c.channel)
            else if (dimension === "attribute") {
              if (attribute === undefined) continue
              const subject = { kind: attribute.target, id: attribute.target === "contact" ? c.contactId : c.id }
              const stored = s().attributeValues.get(valueKey(tenantId, subject, attribute.key))
              const text = stored === undefined ? null : attributeText(stored.value)
              count(text, text)
            } else if (dimension === "department") {
              count(c.departmentId, c.departmentId === null ? null : (s().departments.get(key(tenantId, c.departmentId))?.name ?? null))
            } else if (dimension === "keyword") {
              for (const k of catalogRecordsOf(s().keywordTags, s().keywords, tenantId, c.id)) count(k.id, k.name)
            } else {
              for (const l of catalogRecordsOf(s().labelTags, s().labels, tenantId, c.id)) count(l.id, l.name)
            }
          }
          return [...counts.values()].sort(volumeOrder)
        }),
    },
    departments: catalog("departments", "department"),
    agents: {
      get: (tenantId, id) => Effect.sync(() => copy(s().agents.get(key(tenantId, id)) ?? null)),
      insert: (agent) =>
        write(() => {
          if (s().agents.has(key(agent.tenantId, agent.id))) {
            return Effect.fail(new NameTakenError({ message: `The directory has an agent ${agent.id} already`, entity: "agent", name: agent.id }))
          }
          put("agents", s().agents.set(key(agent.tenantId, agent.id), copy(agent)))
          return Effect.void
        }),
      update: (agent) =>
        write(() => {
          const stored = s().agents.get(key(agent.tenantId, agent.id))
          if (stored === undefined || stored.version !== agent.version - 1) {
            return Effect.fail(conflict("agent", agent.id, agent.version - 1, stored?.version ?? 0))
          }
          put("agents", s().agents.set(key(agent.tenantId, agent.id), copy(agent)))
          return Effect.void
        }),
      list: (tenantId, slice) =>
        Effect.sync(() => {
          const { after, departmentIds } = slice
          return s()
            .agents.find("tenant", tenantId)
            .filter(
              (a) =>
                (slice.includeInactive || a.active) &&
                (departmentIds === undefined || a.departmentIds.some((id) => departmentIds.includes(id))) &&
                (after === undefined || a.id > after),
            )
            .sort((a, b) => compareText(a.id, b.id))
            .slice(0, slice.limit)
            .map(copy)
        }),
    },
    // Transactions run one at a time: a locking read has nothing to wait for.
    keywords: { ...catalog("keywords", "keyword"), getLocked: (tenantId, id) => Effect.sync(() => copy(s().keywords.get(key(tenantId, id)) ?? null)) },
    labels: catalog("labels", "label"),
    notes: {
      get: (tenantId, id) => Effect.sync(() => copy(s().notes.get(key(tenantId, id)) ?? null)),
      insert: (note) => insert("notes", note),
      update: (note) => versioned("notes", "note", note),
      listBySubject: (tenantId, subject, slice, authorId) => Effect.sync(() => liveNotes(tenantId, subject, slice, authorId)),
      listByContact: (tenantId, contactId, slice) =>
        Effect.sync(() => page(s().notes.find("contact", key(tenantId, contactId)), (n) => ({ at: n.createdAt, id: n.id }), slice).map(copy)),
      eraseByContact: (tenantId, contactId) => write(() => Effect.succeed(eraseNotes(s().notes.find("contact", key(tenantId, contactId))).length)),
      purgeBefore: (tenantId, before, limit) =>
        write(() =>
          Effect.succeed(
            eraseNotes(
              s()
                .notes.find("tenant", tenantId)
                .filter((n) => n.createdAt < before && n.body !== erasedMarker)
                .sort((a, b) => -newestFirst({ at: a.createdAt, id: a.id }, { at: b.createdAt, id: b.id }))
                .slice(0, limit),
            ).map((n) => ({ id: n.id, contactId: n.contactId })),
          ),
        ),
    },
    tagging: {
      attachKeyword: (tenantId, conversationId, keywordId, at) => tag("keywordTags", tenantId, conversationId, keywordId, at),
      detachKeyword: (tenantId, conversationId, keywordId) => untag("keywordTags", tenantId, conversationId, keywordId),
      keywordsOf: (tenantId, conversationId) => Effect.sync(() => catalogRecordsOf(s().keywordTags, s().keywords, tenantId, conversationId)),
      moveKeyword: (tenantId, fromId, toId, at) =>
        write(() => {
          const moving = s().keywordTags.find("tag", key(tenantId, fromId))
          let tags = s().keywordTags
          for (const { conversationId } of moving) {
            tags = tags.remove(key(tenantId, conversationId, fromId))
            if (!tags.has(key(tenantId, conversationId, toId)))
              tags = tags.set(key(tenantId, conversationId, toId), { tenantId, conversationId, tagId: toId, at })
          }
          put("keywordTags", tags)
          return Effect.succeed(moving.length)
        }),
      applyLabel: (tenantId, conversationId, labelId, at) => tag("labelTags", tenantId, conversationId, labelId, at),
      removeLabel: (tenantId, conversationId, labelId) => untag("labelTags", tenantId, conversationId, labelId),
      labelsOf: (tenantId, conversationId) => Effect.sync(() => catalogRecordsOf(s().labelTags, s().labels, tenantId, conversationId)),
    },
    calls: {
      get: (tenantId, id) => Effect.sync(() => copy(s().calls.get(key(tenantId, id)) ?? null)),
      getLocked: (tenantId, id) => Effect.sync(() => copy(s().calls.get(key(tenantId, id)) ?? null)),
      findByIdempotencyKey: (tenantId, idempotencyKey) => Effect.sync(() => findCall("idempotencyKey", tenantId, idempotencyKey)),
      findByProviderCallId: (tenantId, providerCallId) => Effect.sync(() => findCall("providerCall", tenantId, providerCallId)),
      insert: (call) =>
        write(() => {
          if (s().calls.find("idempotencyKey", key(call.tenantId, call.idempotencyKey)).length > 0) {
            return Effect.fail(new IdempotencyConflictError({ message: `Idempotency key ${call.idempotencyKey} is taken`, key: call.idempotencyKey }))
          }
          put("calls", s().calls.set(key(call.tenantId, call.id), copy(call)))
          return Effect.void
        }),
      update: (call) =>
        write(() => {
          put("calls", s().calls.set(key(call.tenantId, call.id), copy(call)))
          return Effect.void
        }),
      listByConversation: (tenantId, conversationId, slice) => Effect.sync(() => callsOf(tenantId, conversationId, slice)),
      listByContact: (tenantId, contactId, slice) =>
        Effect.sync(() => page(s().calls.find("contact", key(tenantId, contactId)), (c) => ({ at: c.createdAt, id: c.id }), slice).map(copy)),
      eraseByContact: (tenantId, contactId) =>
        write(() => {
          const erased = s().calls.find("contact", key(tenantId, contactId))
          let calls = s().calls
          for (const call of erased) calls = calls.set(key(tenantId, call.id), erasedCall(call))
          put("calls", calls)
          return Effect.succeed(erased.length)
        }),
    },
    idempotency: {
      find: (tenantId, idempotencyKey) => Effect.sync(() => copy(s().idempotency.get(key(tenantId, idempotencyKey)) ?? null)),
      insert: (record) =>
        write(() => {
          if (s().idempotency.has(key(record.tenantId, record.key))) {
            return Effect.fail(new IdempotencyConflictError({ message: `Idempotency key ${record.key} is taken`, key: record.key }))
          }
          put("idempotency", s().idempotency.set(key(record.tenantId, record.key), copy(record)))
          return Effect.void
        }),
    },
    activity: {
      append: (appended) =>
        write(() => {
          let { activity, lastPosition } = s()
          for (const event of appended) {
            lastPosition++
            activity = activity.set(String(lastPosition), { position: lastPosition, event: copy(event) })
          }
          draft.current = { ...draft.current, activity, lastPosition }
          return Effect.void
        }),
      listByConversation: (tenantId, conversationId, slice) => Effect.sync(() => events("conversation", tenantId, conversationId, slice)),
      listByContact: (tenantId, contactId, slice, reach) => Effect.sync(() => events("contact", tenantId, contactId, slice, reach)),
      listByTenant: (tenantId, slice) => Effect.sync(() => events("tenant", tenantId, null, slice)),
      eraseByContact: (tenantId, contactId) => write(() => Effect.succeed(eraseEvents(s().activity.find("contact", key(tenantId, contactId))))),
      eraseAboutNotes: (tenantId, notes) =>
        write(() => {
          const ids = new Set(notes.map((n) => n.id))
          const contacts = new Set(notes.map((n) => n.contactId))
          return Effect.succeed(
            eraseEvents(
              [...contacts].flatMap((contactId) =>
                s()
                  .activity.find("contact", key(tenantId, contactId))
                  .filter(({ event }) => isNoteEvent(event) && ids.has(event.subjectId)),
              ),
            ),
          )
        }),
      purgeBefore: (tenantId, before, limit) =>
        write(() =>
          Effect.succeed(
            eraseEvents(
              s()
                .activity.find("allOfTenant", tenantId)
                .filter(({ event }) => event.at < before && event.type !== "contact.erased" && !isErasedEvent(event))
                .sort((a, b) => -newestFirst({ at: a.event.at, id: a.event.id }, { at: b.event.at, id: b.event.id }))
                .slice(0, limit),
            ),
          ),
        ),
      outboxBacklog: (afterPosition) =>
        Effect.sync(() => {
          const { activity, lastPosition } = s()
          const first = Math.max(0, Math.floor(afterPosition)) + 1
          return { events: Math.max(0, lastPosition - first + 1), oldestAt: activity.get(String(first))?.event.at ?? null }
        }),
      readOutbox: (afterPosition, limit) =>
        Effect.sync(() => {
          // Positions run 1, 2, 3...: the page is read by position, not by scanning the outbox.
          const { activity, lastPosition, notes } = s()
          const first = Math.max(0, Math.floor(afterPosition)) + 1
          const last = Math.min(lastPosition, first + Math.trunc(limit) - 1)
          const entries: Array<OutboxEntry> = []
          for (let position = first; position <= last; position++) {
            const entry = copy(activity.get(String(position))!)
            // A deleted note's text leaves the store with no event read after its deletion.
            const deleted = isNoteEvent(entry.event) && (notes.get(key(entry.event.tenantId, entry.event.subjectId))?.deletedAt ?? null) !== null
            entries.push(deleted ? { ...entry, event: withoutNoteBody(entry.event) } : entry)
          }
          return entries
        }),
    },
    webhooks: {
      get: (tenantId, id) => Effect.sync(() => copy(s().webhookSubscriptions.get(key(tenantId, id)) ?? null)),
      list: (tenantId, slice) =>
        Effect.sync(() => page(s().webhookSubscriptions.find("tenant", tenantId), (w) => ({ at: w.createdAt, id: w.id }), slice).map(copy)),
      listEnabled: (tenantId) =>
        Effect.sync(() =>
          s()
            .webhookSubscriptions.find("tenant", tenantId)
            .filter((w) => w.enabled)
            .sort((a, b) => -newestFirst({ at: a.createdAt, id: a.id }, { at: b.createdAt, id: b.id }))
            .map(copy),
        ),
      insert: (subscription) =>
        write(() => {
          put("webhookSubscriptions", s().webhookSubscriptions.set(key(subscription.tenantId, subscription.id), copy(subscription)))
          return Effect.void
        }),
      update: (subscription) =>
        write(() => {
          const rowKey = key(subscription.tenantId, subscription.id)
          const stored = s().webhookSubscriptions.get(rowKey)
          if (stored === undefined || stored.version !== subscription.version - 1) {
            return Effect.fail(conflict("webhook_subscription", subscription.id, subscription.version - 1, stored?.version ?? 0))
          }
          const { consecutiveDeadLetters, failingSince } = stored
          put("webhookSubscriptions", s().webhookSubscriptions.set(rowKey, { ...copy(subscription), consecutiveDeadLetters, failingSince }))
          return Effect.void
        }),
      setDeliveryState: (tenantId, id, state) =>
        write(() => {
          const stored = s().webhookSubscriptions.get(key(tenantId, id))
          if (stored === undefined) return Effect.succeed(false)
          put("webhookSubscriptions", s().webhookSubscriptions.set(key(tenantId, id), { ...stored, ...state }))
          return Effect.succeed(true)
        }),
      delete: (tenantId, id) =>
        write(() => {
          if (!s().webhookSubscriptions.has(key(tenantId, id))) return Effect.succeed(false)
          put("webhookSubscriptions", s().webhookSubscriptions.remove(key(tenantId, id)))
          let letters = s().webhookDeadLetters
          for (const letter of letters.find("subscription", key(tenantId, id))) letters = letters.remove(key(tenantId, letter.id))
          put("webhookDeadLetters", letters)
          return Effect.succeed(true)
        }),
      putDeadLetter: (deadLetter) =>
        write(() => {
          const existing = s().webhookDeadLetters.find("event", key(deadLetter.tenantId, deadLetter.subscriptionId, deadLetter.eventId))[0]
          const stored = { ...copy(deadLetter), id: existing?.id ?? deadLetter.id }
          put("webhookDeadLetters", s().webhookDeadLetters.set(key(stored.tenantId, stored.id), stored))
          return Effect.void
        }),
      getDeadLetter: (tenantId, id) => Effect.sync(() => copy(s().webhookDeadLetters.get(key(tenantId, id)) ?? null)),
      listDeadLetters: (tenantId, subscriptionId, slice) =>
        Effect.sync(() =>
          page(s().webhookDeadLetters.find("subscription", key(tenantId, subscriptionId)), (d) => ({ at: d.deadLetteredAt, id: d.id }), slice).map(copy),
        ),
      deadLettersUntil: (tenantId, subscriptionId, until, limit) =>
        Effect.sync(() =>
          s()
            .webhookDeadLetters.find("subscription", key(tenantId, subscriptionId))
            .filter((d) => d.deadLetteredAt <= until)
            .sort((a, b) => -newestFirst({ at: a.deadLetteredAt, id: a.id }, { at: b.deadLetteredAt, id: b.id }))
            .slice(0, limit)
            .map(copy),
        ),
      deleteDeadLetter: (tenantId, id) =>
        write(() => {
          if (!s().webhookDeadLetters.has(key(tenantId, id))) return Effect.succeed(false)
          put("webhookDeadLetters", s().webhookDeadLetters.remove(key(tenantId, id)))
          return Effect.succeed(true)
        }),
      eraseDeadLettersByContact: (tenantId, contactId) =>
        write(() => {
          let letters = s().webhookDeadLetters
          let erased = 0
          for (const { event } of s().activity.find("contact", key(tenantId, contactId))) {
            for (const letter of letters.find("eventId", key(tenantId, event.id))) {
              letters = letters.set(key(tenantId, letter.id), { ...letter, event: erasedEvent(letter.event) })
              erased++
            }
          }
          put("webhookDeadLetters", letters)
          return Effect.succeed(erased)
        }),
    },
    attributes: {
      get: (tenantId, id) => Effect.sync(() => copy(s().attributeDefinitions.get(key(tenantId, id)) ?? null)),
      findByKeys: (tenantId, keys) => Effect.sync(() => [...new Set(keys)].flatMap((k) => s().attributeDefinitions.find("key", key(tenantId, k))).map(copy)),
      list: (tenantId, slice: AttributeSlice) =>
        Effect.sync(() => {
          const { after } = slice
          return s()
            .attributeDefinitions.find("tenant", tenantId)
            .filter(
              (d) =>
                (slice.includeArchived || d.archivedAt === null) &&
                (slice.target === undefined || d.target === slice.target) &&
                (after === undefined || nameOrder({ name: d.key, id: d.id }, after) > 0),
            )
            .sort(byKey)
            .slice(0, slice.limit)
            .map(copy)
        }),
      requiredOf: (tenantId, target) =>
        Effect.sync(() =>
          s()
            .attributeDefinitions.find("tenant", tenantId)
            .filter((d) => d.target === target && d.required && d.archivedAt === null)
            .sort(byKey)
            .map(copy),
        ),
      insert: (definition) =>
        write(() => {
          if (s().attributeDefinitions.find("key", key(definition.tenantId, definition.key)).length > 0) {
            return Effect.fail(
              new NameTakenError({ message: `An attribute with the key "${definition.key}" already exists`, entity: "attribute", name: definition.key }),
            )
          }
          put("attributeDefinitions", s().attributeDefinitions.set(key(definition.tenantId, definition.id), copy(definition)))
          return Effect.void
        }),
      update: (definition) =>
        write(() => {
          const rowKey = key(definition.tenantId, definition.id)
          const stored = s().attributeDefinitions.get(rowKey)
          if (stored === undefined || stored.version !== definition.version - 1) {
            return Effect.fail(conflict("attribute", definition.id, definition.version - 1, stored?.version ?? 0))
          }
          put("attributeDefinitions", s().attributeDefinitions.set(rowKey, copy(definition)))
          return Effect.void
        }),
      valuesOf: (tenantId, subject) => Effect.sync(() => attributeValuesOf(tenantId, subject)),
      putValue: (value) =>
        write(() => {
          put("attributeValues", s().attributeValues.set(valueKey(value.tenantId, value.subject, value.key), copy(value)))
          return Effect.void
        }),
      eraseByContact: (tenantId, contactId) =>
        write(() => {
          const subjects: ReadonlyArray<AttributeSubject> = [
            { kind: "contact", id: contactId },
            ...s()
              .conversations.find("contact", key(tenantId, contactId))
              .map((c) => ({ kind: "conversation" as const, id: c.id })),
          ]
          let values = s().attributeValues
          let removed = 0
          for (const subject of subjects)
            for (const value of values.find("subject", subjectKey(tenantId, subject)))
              if (!typesKeptOnErasure.has(value.type)) {
                values = values.remove(valueKey(tenantId, subject, value.key))
                removed++
              }
          put("attributeValues", values)
          return Effect.succeed(removed)
        }),
      deleteValue: (tenantId, subject, attributeKey) =>
        write(() => {
          const rowKey = valueKey(tenantId, subject, attributeKey)
          if (!s().attributeValues.has(rowKey)) return Effect.succeed(false)
          put("attributeValues", s().attributeValues.remove(rowKey))
          return Effect.succeed(true)
        }),
    },
    merges: {
      get: (tenantId, id) => Effect.sync(() => copy(s().merges.get(key(tenantId, id)) ?? null)),
      insert: (merge) =>
        write(() => {
          put("merges", s().merges.set(key(merge.tenantId, merge.id), copy(merge)))
          return Effect.void
        }),
      markUnmerged: (tenantId, id, at, by) =>
        write(() => {
          const stored = s().merges.get(key(tenantId, id))
          if (stored === undefined || stored.unmergedAt !== null) return Effect.succeed(false)
          put("merges", s().merges.set(key(tenantId, id), { ...stored, unmergedAt: at, unmergedBy: by }))
          return Effect.succeed(true)
        }),
      findOpenInto: (tenantId, primaryId, since) =>
        Effect.sync(() => {
          const open = s()
            .merges.find("primary", key(tenantId, primaryId))
            .filter((m) => m.unmergedAt === null && m.mergedAt >= since)
            .sort((a, b) => (a.mergedAt < b.mergedAt ? 1 : a.mergedAt > b.mergedAt ? -1 : 0))
          return copy(open[0] ?? null)
        }),
      countRecords: (tenantId, contactId) =>
        Effect.sync(() => {
          const about = key(tenantId, contactId)
          return {
            conversations: s().conversations.find("contact", about).length,
            notes: s().notes.find("contact", about).length,
            calls: s().calls.find("contact", about).length,
            activity: s().activity.find("contact", about).length,
          }
        }),
      eraseByContact: (tenantId, contactId, at) =>
        write(() => {
          let merges = s().merges
          for (const merge of merges.values()) {
            if (merge.tenantId === tenantId && (merge.primaryId === contactId || merge.secondaryId === contactId))
              merges = merges.remove(key(tenantId, merge.id))
          }
          put("merges", merges)
          const tombstones = s()
            .contacts.find("tenant", tenantId)
            .filter((c) => c.mergedInto === contactId)
          let contacts = s().contacts
          for (const tombstone of tombstones) contacts = contacts.set(key(tenantId, tombstone.id), erasedContact(tombstone, at))
          put("contacts", contacts)
          return Effect.succeed(tombstones.map((c) => c.id))
        }),
      moveRecords: (tenantId, fromId, toId) =>
        write(() => Effect.succeed(moveAbout(tenantId, fromId, toId, { conversation: () => true, note: () => true, call: () => true, event: () => true }))),
      returnRecords: (tenantId, fromId, toId, moved) =>
        write(() => {
          const recorded = new Set(moved.conversations)
          const conversations = new Set(
            s()
              .conversations.find("contact", key(tenantId, fromId))
              .filter((c) => recorded.has(c.id))
              .map((c) => c.id),
          )
          const notes = new Set(moved.notes)
          const events = new Set(moved.activity)
          const returned = moveAbout(tenantId, fromId, toId, {
            conversation: (c) => conversations.has(c.id),
            note: (n) => (n.subject.kind === "conversation" ? conversations.has(n.subject.id) : notes.has(n.id)),
            call: (c) => conversations.has(c.conversationId),
            event: (e) => (e.conversationId === null ? events.has(e.id) : conversations.has(e.conversationId)),
          })
          return Effect.succeed({
            conversations: returned.conversations.length,
            notes: returned.notes.length,
            calls: returned.calls.length,
            activity: returned.activity.length,
          })
        }),
    },
    details: {
      load: (tenantId, conversationId, limits, reader) =>
        Effect.sync(() => {
          const conversation = s().conversations.get(key(tenantId, conversationId))
          const contact = conversation === undefined ? undefined : s().contacts.get(key(tenantId, conversation.contactId))
          if (conversation === undefined || contact === undefined) return null
          const settings = s().settings.get(tenantId) ?? null
          const rules = settings ?? defaultTenantSettings(tenantId)
          const notesOf = (subject: NoteSubject, scope: NoteReadScope) =>
            scope === "none" ? [] : liveNotes(tenantId, subject, { limit: limits.notes }, scope === "own" ? reader.agentId : undefined)
          const reach =
            reader.role === "agent" && rules.visibility.history === "department"
              ? { agentId: reader.agentId, departmentIds: reader.departmentIds ?? [] }
              : undefined
          return {
            settings: copy(settings),
            conversation: copy(conversation),
            contact: copy(contact),
            department: conversation.departmentId === null ? null : copy(s().departments.get(key(tenantId, conversation.departmentId)) ?? null),
            notes: {
              contact: notesOf({ kind: "contact", id: contact.id }, noteReadScope(reader, rules, { kind: "contact" })),
              conversation: notesOf({ kind: "conversation", id: conversation.id }, noteReadScope(reader, rules, { kind: "conversation", conversation })),
            },
            viewerNote:
              liveNotes(tenantId, { kind: "conversation", id: conversation.id }, { limit: Number.MAX_SAFE_INTEGER }).find(
                (n) => n.authorId === reader.agentId && n.createdAt >= (conversation.assignedAt ?? conversation.createdAt),
              ) ?? null,
            keywords: catalogRecordsOf(s().keywordTags, s().keywords, tenantId, conversation.id),
            labels: catalogRecordsOf(s().labelTags, s().labels, tenantId, conversation.id),
            history: listByContact(tenantId, contact.id, { limit: limits.history }, reach),
            recentCalls: callsOf(tenantId, conversation.id, { limit: 5 }),
            attributes: {
              contact: valuesByKey(attributeValuesOf(tenantId, { kind: "contact", id: contact.id })),
              conversation: valuesByKey(attributeValuesOf(tenantId, { kind: "conversation", id: conversation.id })),
            },
          }
        }),
    },
  }
}

/**
 * The in-memory store: complete and correct, for tests, demos and prototypes, and the reference
 * that the conformance suite holds every other store to. Transactions run one at a time on a draft
 * of the state that replaces it only when the work succeeds, so a failure, a defect or an
 * interruption leaves nothing behind, and queries read the state committed when they start. The
 * state is made of persistent, indexed tables: a write costs the same with 100 records as with
 * 100,000, and a read touches only its subject's records (search and reports: its tenant's).
 * Records are copied in and out: a caller that mutates what it got never changes what is stored.
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { makeMemoryStorage, Storage } from "rmc-details"
 * const layer = Layer.succeed(Storage, makeMemoryStorage())
 * ```
 */
export const makeMemoryStorage = (): Storage["Service"] => {
  let state = emptyState()
  const lock = Semaphore.makeUnsafe(1)
  return Storage.of({
    transaction: (work) =>
      lock.withPermit(
        Effect.suspend(() => {
          const draft: Draft = { current: state, writable: true }
          return work(repositories(draft)).pipe(
            Effect.tap(() =>
              Effect.sync(() => {
                state = draft.current
              }),
            ),
            // Repositories that outlive their unit of work (kept by a forked fiber) cannot write.
            Effect.ensuring(
              Effect.sync(() => {
                draft.writable = false
              }),
            ),
          )
        }),
      ),
    // Reads the committed state as it is when the query starts: no lock to wait for, and nothing of
    // a transaction under way, whose writes are in a draft that only replaces `state` when it succeeds.
    query: (work) => Effect.suspend(() => work(repositories({ current: state, writable: false }))),
  })
}

/**
 * A layer with a fresh in-memory store (see {@link makeMemoryStorage}).
 *
 * @example
 * ```ts
 * import { createRmc, memoryStorage } from "rmc-details"
 * const rmc = createRmc({ storage: memoryStorage() })
 * ```
 */
export const memoryStorage = (): Layer.Layer<Storage> => Layer.sync(Storage, makeMemoryStorage)
