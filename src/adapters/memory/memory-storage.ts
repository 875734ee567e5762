import { Effect, Layer, Semaphore } from "effect"
import type { ActivityEvent, OutboxEntry } from "../../domain/activity/activity-event"
import type { CallAttempt } from "../../domain/call/call-attempt"
import type { Contact } from "../../domain/contact/contact"
import type { Conversation, ConversationSummary } from "../../domain/conversation/conversation"
import type { Department } from "../../domain/department/department"
import type { Note } from "../../domain/note/note"
import type { VolumeRow } from "../../domain/search/volume-report"
import { type EntityKind, IdempotencyConflictError, NameTakenError, VersionConflictError } from "../../domain/shared/errors"
import type { CursorKey } from "../../domain/shared/page"
import type { Keyword } from "../../domain/tagging/keyword"
import type { Label } from "../../domain/tagging/label"
import type { TenantSettings } from "../../domain/tenant/tenant-settings"
import { type IdempotencyRecord, type Slice, Storage, type StorageRepositories, type StoreConversationFilter } from "../../ports/storage"

const key = (tenantId: string, id: string) => `${tenantId}\u0000${id}`

/** Everything the store holds. Maps are replaced, never shared, between a draft and the committed state. */
interface State {
  settings: Map<string, TenantSettings>
  contacts: Map<string, Contact>
  conversations: Map<string, Conversation>
  departments: Map<string, Department>
  keywords: Map<string, Keyword>
  labels: Map<string, Label>
  notes: Map<string, Note>
  calls: Map<string, CallAttempt>
  callKeys: Map<string, string>
  providerCalls: Map<string, string>
  idempotency: Map<string, IdempotencyRecord>
  keywordTags: Map<string, ReadonlyMap<string, string>>
  labelTags: Map<string, ReadonlyMap<string, string>>
  activity: Array<OutboxEntry>
}

const emptyState = (): State => ({
  settings: new Map(),
  contacts: new Map(),
  conversations: new Map(),
  departments: new Map(),
  keywords: new Map(),
  labels: new Map(),
  notes: new Map(),
  calls: new Map(),
  callKeys: new Map(),
  providerCalls: new Map(),
  idempotency: new Map(),
  keywordTags: new Map(),
  labelTags: new Map(),
  activity: [],
})

const draftOf = (state: State): State => ({
  settings: new Map(state.settings),
  contacts: new Map(state.contacts),
  conversations: new Map(state.conversations),
  departments: new Map(state.departments),
  keywords: new Map(state.keywords),
  labels: new Map(state.labels),
  notes: new Map(state.notes),
  calls: new Map(state.calls),
  callKeys: new Map(state.callKeys),
  providerCalls: new Map(state.providerCalls),
  idempotency: new Map(state.idempotency),
  keywordTags: new Map(state.keywordTags),
  labelTags: new Map(state.labelTags),
  activity: state.activity.slice(),
})

// Callers get copies and the store keeps copies: nobody can change a stored record by mutating it.
const copy = <A>(value: A): A => structuredClone(value)

/** Newest first: by timestamp, then by id, both descending. */
const newestFirst = (a: CursorKey, b: CursorKey) => (a.at === b.at ? (a.id < b.id ? 1 : a.id > b.id ? -1 : 0) : a.at < b.at ? 1 : -1)

const page = <A>(rows: ReadonlyArray<A>, keyOf: (row: A) => CursorKey, slice: Slice): Array<A> => {
  const sorted = [...rows].sort((x, y) => newestFirst(keyOf(x), keyOf(y)))
  const { after } = slice
  const rest = after === undefined ? sorted : sorted.filter((row) => newestFirst(after, keyOf(row)) < 0)
  return rest.slice(0, slice.limit)
}

const byName = <A extends { readonly normalizedName: string; readonly id: string }>(a: A, b: A) =>
  a.normalizedName === b.normalizedName ? (a.id < b.id ? -1 : 1) : a.normalizedName < b.normalizedName ? -1 : 1

const conflict = (entity: EntityKind, id: string, expected: number, actual: number) =>
  new VersionConflictError({ message: `${entity} ${id} is at version ${actual}, not ${expected}`, entity, id, expected, actual })

const repositories = (s: State, nextPosition: () => number): StorageRepositories => {
  const versioned = <A extends { readonly tenantId: string; readonly id: string; readonly version: number }>(
    map: Map<string, A>,
    entity: EntityKind,
    record: A,
  ) =>
    Effect.suspend(() => {
      const stored = map.get(key(record.tenantId, record.id))
      if (stored === undefined || stored.version !== record.version - 1) {
        return Effect.fail(conflict(entity, record.id, record.version - 1, stored?.version ?? 0))
      }
      map.set(key(record.tenantId, record.id), copy(record))
      return Effect.void
    })

  const catalog = <A extends { readonly tenantId: string; readonly id: string; readonly name: string; readonly normalizedName: string; readonly archivedAt: string | null }>(
    map: Map<string, A>,
    entity: "department" | "keyword" | "label",
  ) => {
    const findByName = (tenantId: string, normalizedName: string) =>
      [...map.values()].find((r) => r.tenantId === tenantId && r.normalizedName === normalizedName)
    const write = (record: A) =>
      Effect.suspend(() => {
        const taken = findByName(record.tenantId, record.normalizedName)
        if (taken !== undefined && taken.id !== record.id) {
          return Effect.fail(new NameTakenError({ message: `A ${entity} named "${taken.name}" already exists`, entity, name: record.name }))
        }
        map.set(key(record.tenantId, record.id), copy(record))
        return Effect.void
      })
    return {
      get: (tenantId: string, id: string) => Effect.sync(() => copy(map.get(key(tenantId, id)) ?? null)),
      findByName: (tenantId: string, normalizedName: string) => Effect.sync(() => copy(findByName(tenantId, normalizedName) ?? null)),
      list: (tenantId: string, includeArchived: boolean) =>
        Effect.sync(() =>
          [...map.values()].filter((r) => r.tenantId === tenantId && (includeArchived || r.archivedAt === null)).sort(byName).map(copy),
        ),
      insert: (record: A) =>
        Effect.suspend(() =>
          map.has(key(record.tenantId, record.id)) ? Effect.die(new Error(`${entity} ${record.id} exists already`)) : write(record),
        ),
      update: (record: A) =>
        Effect.suspend(() =>
          map.has(key(record.tenantId, record.id)) ? write(record) : Effect.die(new Error(`${entity} ${record.id} does not exist`)),
        ),
    }
  }

  const tagsOf = (tags: Map<string, ReadonlyMap<string, string>>, tenantId: string, conversationId: string) =>
    tags.get(key(tenantId, conversationId)) ?? new Map<string, string>()

  const tag = (tags: Map<string, ReadonlyMap<string, string>>, tenantId: string, conversationId: string, id: string, at: string) =>
    Effect.sync(() => {
      const current = tagsOf(tags, tenantId, conversationId)
      if (current.has(id)) return false
      tags.set(key(tenantId, conversationId), new Map(current).set(id, at))
      return true
    })

  const untag = (tags: Map<string, ReadonlyMap<string, string>>, tenantId: string, conversationId: string, id: string) =>
    Effect.sync(() => {
      const current = tagsOf(tags, tenantId, conversationId)
      if (!current.has(id)) return false
      const next = new Map(current)
      next.delete(id)
      tags.set(key(tenantId, conversationId), next)
      return true
    })

  const catalogRecordsOf = <A extends { readonly normalizedName: string; readonly id: string }>(
    tags: Map<string, ReadonlyMap<string, string>>,
    records: Map<string, A>,
    tenantId: string,
    conversationId: string,
  ): Array<A> =>
    [...tagsOf(tags, tenantId, conversationId).keys()]
      .map((id) => records.get(key(tenantId, id)))
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
    departmentName: c.departmentId === null ? null : (s.departments.get(key(c.tenantId, c.departmentId))?.name ?? null),
    labels: catalogRecordsOf(s.labelTags, s.labels, c.tenantId, c.id).map((l) => ({ id: l.id, name: l.name, color: l.color })),
    createdAt: c.createdAt,
    lastActivityAt: c.lastActivityAt,
  })

  const conversationKey = (c: Conversation) => ({ at: c.lastActivityAt, id: c.id })

  const matches = (c: Conversation, f: StoreConversationFilter): boolean => {
    const keywords = tagsOf(s.keywordTags, c.tenantId, c.id)
    const labels = tagsOf(s.labelTags, c.tenantId, c.id)
    const contact = s.contacts.get(key(c.tenantId, c.contactId))
    return (
      (f.keywords?.anyOf === undefined || f.keywords.anyOf.some((id) => keywords.has(id))) &&
      (f.keywords?.allOf === undefined || f.keywords.allOf.every((id) => keywords.has(id))) &&
      (f.labels?.anyOf === undefined || f.labels.anyOf.some((id) => labels.has(id))) &&
      (f.labels?.allOf === undefined || f.labels.allOf.every((id) => labels.has(id))) &&
      (f.departmentIds === undefined || (c.departmentId !== null && f.departmentIds.includes(c.departmentId))) &&
      (f.channels === undefined || f.channels.includes(c.channel)) &&
      (f.status === undefined || f.status.includes(c.status)) &&
      (f.contactTypes === undefined || (contact !== undefined && f.contactTypes.includes(contact.type))) &&
      (f.contactId === undefined || c.contactId === f.contactId) &&
      (f.from === undefined || c.createdAt >= f.from) &&
      (f.to === undefined || c.createdAt < f.to)
    )
  }

  const conversationsOf = (tenantId: string) => [...s.conversations.values()].filter((c) => c.tenantId === tenantId)

  const listByContact = (tenantId: string, contactId: string, slice: Slice) =>
    page(
      conversationsOf(tenantId).filter((c) => c.contactId === contactId),
      conversationKey,
      slice,
    ).map(summaryOf)

  const callsOf = (tenantId: string, conversationId: string, limit: number) =>
    page(
      [...s.calls.values()].filter((c) => c.tenantId === tenantId && c.conversationId === conversationId),
      (c) => ({ at: c.createdAt, id: c.id }),
      { limit },
    ).map(copy)

  const liveNotes = (tenantId: string, test: (n: Note) => boolean) =>
    page(
      [...s.notes.values()].filter((n) => n.tenantId === tenantId && n.deletedAt === null && test(n)),
      (n) => ({ at: n.createdAt, id: n.id }),
      { limit: Number.MAX_SAFE_INTEGER },
    ).map(copy)

  const events = (test: (e: ActivityEvent) => boolean, slice: Slice) =>
    page(
      s.activity.map((entry) => entry.event).filter(test),
      (e) => ({ at: e.at, id: e.id }),
      slice,
    ).map(copy)

  return {
    settings: {
      get: (tenantId) => Effect.sync(() => copy(s.settings.get(tenantId) ?? null)),
      put: (settings) =>
        Effect.suspend(() => {
          const stored = s.settings.get(settings.tenantId)
          if ((stored?.version ?? 0) !== settings.version - 1) {
            return Effect.fail(conflict("tenant", settings.tenantId, settings.version - 1, stored?.version ?? 0))
          }
          s.settings.set(settings.tenantId, copy(settings))
          return Effect.void
        }),
    },
    contacts: {
      get: (tenantId, id) => Effect.sync(() => copy(s.contacts.get(key(tenantId, id)) ?? null)),
      insert: (contact) => Effect.sync(() => void s.contacts.set(key(contact.tenantId, contact.id), copy(contact))),
      update: (contact) => versioned(s.contacts, "contact", contact),
    },
    conversations: {
      get: (tenantId, id) => Effect.sync(() => copy(s.conversations.get(key(tenantId, id)) ?? null)),
      insert: (conversation) => Effect.sync(() => void s.conversations.set(key(conversation.tenantId, conversation.id), copy(conversation))),
      update: (conversation) => versioned(s.conversations, "conversation", conversation),
      listByContact: (tenantId, contactId, slice) => Effect.sync(() => listByContact(tenantId, contactId, slice)),
      search: (tenantId, filter, slice) =>
        Effect.sync(() => page(conversationsOf(tenantId).filter((c) => matches(c, filter)), conversationKey, slice).map(summaryOf)),
      volumes: (tenantId, dimension, from, to) =>
        Effect.sync(() => {
          const counts = new Map<string | null, VolumeRow>()
          const count = (rowKey: string | null, name: string | null) => {
            const row = counts.get(rowKey)
            counts.set(rowKey, { key: rowKey, name, count: (row?.count ?? 0) + 1 })
          }
          for (const c of conversationsOf(tenantId).filter((c) => c.createdAt >= from && c.createdAt < to)) {
            if (dimension === "channel") count(c.channel, c.channel)
            else if (dimension === "department") {
              count(c.departmentId, c.departmentId === null ? null : (s.departments.get(key(tenantId, c.departmentId))?.name ?? null))
            } else if (dimension === "keyword") {
              for (const k of catalogRecordsOf(s.keywordTags, s.keywords, tenantId, c.id)) count(k.id, k.name)
            } else {
              for (const l of catalogRecordsOf(s.labelTags, s.labels, tenantId, c.id)) count(l.id, l.name)
            }
          }
          return [...counts.values()].sort((a, b) =>
            a.count !== b.count ? b.count - a.count : a.key === b.key ? 0 : a.key === null ? 1 : b.key === null ? -1 : a.key < b.key ? -1 : 1,
          )
        }),
    },
    departments: catalog(s.departments, "department"),
    // Transactions run one at a time: a locking read has nothing to wait for.
    keywords: { ...catalog(s.keywords, "keyword"), getLocked: (tenantId, id) => Effect.sync(() => copy(s.keywords.get(key(tenantId, id)) ?? null)) },
    labels: catalog(s.labels, "label"),
    notes: {
      get: (tenantId, id) => Effect.sync(() => copy(s.notes.get(key(tenantId, id)) ?? null)),
      insert: (note) => Effect.sync(() => void s.notes.set(key(note.tenantId, note.id), copy(note))),
      update: (note) => versioned(s.notes, "note", note),
      listBySubject: (tenantId, subject) =>
        Effect.sync(() => liveNotes(tenantId, (n) => n.subject.kind === subject.kind && n.subject.id === subject.id)),
    },
    tagging: {
      attachKeyword: (tenantId, conversationId, keywordId, at) => tag(s.keywordTags, tenantId, conversationId, keywordId, at),
      detachKeyword: (tenantId, conversationId, keywordId) => untag(s.keywordTags, tenantId, conversationId, keywordId),
      keywordsOf: (tenantId, conversationId) => Effect.sync(() => catalogRecordsOf(s.keywordTags, s.keywords, tenantId, conversationId)),
      moveKeyword: (tenantId, fromId, toId, at) =>
        Effect.sync(() => {
          let moved = 0
          for (const [conversationKey, tags] of s.keywordTags) {
            if (!conversationKey.startsWith(`${tenantId}\u0000`) || !tags.has(fromId)) continue
            const next = new Map(tags)
            next.delete(fromId)
            if (!next.has(toId)) next.set(toId, at)
            s.keywordTags.set(conversationKey, next)
            moved++
          }
          return moved
        }),
      applyLabel: (tenantId, conversationId, labelId, at) => tag(s.labelTags, tenantId, conversationId, labelId, at),
      removeLabel: (tenantId, conversationId, labelId) => untag(s.labelTags, tenantId, conversationId, labelId),
      labelsOf: (tenantId, conversationId) => Effect.sync(() => catalogRecordsOf(s.labelTags, s.labels, tenantId, conversationId)),
    },
    calls: {
      get: (tenantId, id) => Effect.sync(() => copy(s.calls.get(key(tenantId, id)) ?? null)),
      getLocked: (tenantId, id) => Effect.sync(() => copy(s.calls.get(key(tenantId, id)) ?? null)),
      findByIdempotencyKey: (tenantId, idempotencyKey) =>
        Effect.sync(() => {
          const id = s.callKeys.get(key(tenantId, idempotencyKey))
          return id === undefined ? null : copy(s.calls.get(key(tenantId, id)) ?? null)
        }),
      findByProviderCallId: (tenantId, providerCallId) =>
        Effect.sync(() => {
          const id = s.providerCalls.get(key(tenantId, providerCallId))
          return id === undefined ? null : copy(s.calls.get(key(tenantId, id)) ?? null)
        }),
      insert: (call) =>
        Effect.suspend(() => {
          if (s.callKeys.has(key(call.tenantId, call.idempotencyKey))) {
            return Effect.fail(new IdempotencyConflictError({ message: `Idempotency key ${call.idempotencyKey} is taken`, key: call.idempotencyKey }))
          }
          s.callKeys.set(key(call.tenantId, call.idempotencyKey), call.id)
          if (call.providerCallId !== null) s.providerCalls.set(key(call.tenantId, call.providerCallId), call.id)
          s.calls.set(key(call.tenantId, call.id), copy(call))
          return Effect.void
        }),
      update: (call) =>
        Effect.sync(() => {
          if (call.providerCallId !== null) s.providerCalls.set(key(call.tenantId, call.providerCallId), call.id)
          s.calls.set(key(call.tenantId, call.id), copy(call))
        }),
      listByConversation: (tenantId, conversationId, limit) => Effect.sync(() => callsOf(tenantId, conversationId, limit)),
    },
    idempotency: {
      find: (tenantId, idempotencyKey) => Effect.sync(() => copy(s.idempotency.get(key(tenantId, idempotencyKey)) ?? null)),
      insert: (record) =>
        Effect.suspend(() => {
          if (s.idempotency.has(key(record.tenantId, record.key))) {
            return Effect.fail(new IdempotencyConflictError({ message: `Idempotency key ${record.key} is taken`, key: record.key }))
          }
          s.idempotency.set(key(record.tenantId, record.key), copy(record))
          return Effect.void
        }),
    },
    activity: {
      append: (appended) =>
        Effect.sync(() => {
          for (const event of appended) s.activity.push({ position: nextPosition(), event: copy(event) })
        }),
      listByConversation: (tenantId, conversationId, slice) =>
        Effect.sync(() => events((e) => e.tenantId === tenantId && e.conversationId === conversationId, slice)),
      listByContact: (tenantId, contactId, slice) => Effect.sync(() => events((e) => e.tenantId === tenantId && e.contactId === contactId, slice)),
      readOutbox: (afterPosition, limit) =>
        Effect.sync(() => s.activity.filter((entry) => entry.position > afterPosition).slice(0, limit).map(copy)),
    },
    details: {
      load: (tenantId, conversationId, historyLimit) =>
        Effect.sync(() => {
          const conversation = s.conversations.get(key(tenantId, conversationId))
          const contact = conversation === undefined ? undefined : s.contacts.get(key(tenantId, conversation.contactId))
          if (conversation === undefined || contact === undefined) return null
          return {
            settings: copy(s.settings.get(tenantId) ?? null),
            conversation: copy(conversation),
            contact: copy(contact),
            department: conversation.departmentId === null ? null : copy(s.departments.get(key(tenantId, conversation.departmentId)) ?? null),
            notes: liveNotes(
              tenantId,
              (n) => (n.subject.kind === "contact" && n.subject.id === contact.id) || (n.subject.kind === "conversation" && n.subject.id === conversation.id),
            ),
            keywords: catalogRecordsOf(s.keywordTags, s.keywords, tenantId, conversation.id),
            labels: catalogRecordsOf(s.labelTags, s.labels, tenantId, conversation.id),
            history: listByContact(tenantId, contact.id, { limit: historyLimit }),
            recentCalls: callsOf(tenantId, conversation.id, 5),
          }
        }),
    },
  }
}

/**
 * The in-memory store: complete and correct, for tests, demos and prototypes, and the reference
 * that the conformance suite holds every other store to. Transactions run one at a time on a draft
 * of the state that replaces it only when the work succeeds, so a failure, a defect or an
 * interruption leaves nothing behind. Records are copied in and out: a caller that mutates what it
 * got never changes what is stored.
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
  let position = 0
  const lock = Semaphore.makeUnsafe(1)
  return Storage.of({
    transaction: (work) =>
      lock.withPermit(
        Effect.suspend(() => {
          const draft = draftOf(state)
          let draftPosition = position
          return Effect.tap(work(repositories(draft, () => ++draftPosition)), () =>
            Effect.sync(() => {
              state = draft
              position = draftPosition
            }),
          )
        }),
      ),
    query: (work) =>
      Effect.suspend(() =>
        work(
          repositories(state, () => {
            throw new Error("the outbox is written in transactions only")
          }),
        ),
      ),
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
