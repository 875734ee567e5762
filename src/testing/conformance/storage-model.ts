import { Effect } from "effect"
import fc from "fast-check"
import { expect, it } from "vitest"
import type { Contact } from "../../domain/contact/contact"
import type { AttributeValue } from "../../domain/attribute/attribute-definition"
import type { Conversation } from "../../domain/conversation/conversation"
import type { MovedRecords } from "../../domain/merge/contact-merge"
import type { Note } from "../../domain/note/note"
import { IdentityTakenError, VersionConflictError } from "../../domain/shared/errors"
import type { Keyword } from "../../domain/tagging/keyword"
import type { Storage, StorageRepositories } from "../../ports/storage"
import * as A from "../arbitraries/entities"
import { allPages } from "./conformance-kit"
import type { StorageSubSuite } from "./storage-sub-suite"
import { newestFirst, orderBy } from "../../domain/shared/ordering"

/** What the store should hold, by the simplest possible bookkeeping. */
interface Model {
  readonly versions: Array<number>
  readonly statuses: Array<Conversation["status"]>
  readonly keywords: Array<Set<number>>
  readonly notes: Array<Array<Note>>
  /** Each contact's e-mail address (an index in {@link addresses}), its only identity. */
  readonly emails: Array<number | null>
  /** Each conversation's custom attribute values, by key. */
  readonly attributes: Array<Map<string, AttributeValue>>
  /** Each conversation's contact (an index in the contacts). */
  readonly owners: Array<number>
  /** The record moves not undone yet, the latest last: what an unmerge moves back. */
  readonly merges: Array<{ readonly from: number; readonly to: number; readonly moved: MovedRecords }>
}

interface Real {
  readonly storage: Storage["Service"]
  readonly tenantId: string
  readonly conversations: ReadonlyArray<Conversation>
  readonly keywords: ReadonlyArray<Keyword>
  readonly contacts: ReadonlyArray<Contact>
}

type Command = fc.AsyncCommand<Model, Real>

const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(effect)
const conversationIndex = fc.integer({ min: 0, max: 2 })
const keywordIndex = fc.integer({ min: 0, max: 2 })
const contactIndex = fc.integer({ min: 0, max: 2 })
/** The identities the contacts compete for: fewer than the contacts, so that they collide. */
const addresses = ["a@example.com", "b@example.com"]
const addressIndex = fc.option(fc.integer({ min: 0, max: addresses.length - 1 }), { nil: null })

class SetEmail implements Command {
  constructor(
    readonly index: number,
    readonly address: number | null,
    readonly stale: boolean,
  ) {}
  check = () => true
  async run(m: Model, r: Real) {
    const stored = (await run(r.storage.query((repos) => repos.contacts.get(r.tenantId, r.contacts[this.index]!.id))))!
    const email = this.address === null ? null : addresses[this.address]!
    const version = this.stale ? stored.version : stored.version + 1
    const result = await run(Effect.result(r.storage.transaction((repos) => repos.contacts.update({ ...stored, email, version }, stored))))
    const holder = this.address === null ? -1 : m.emails.findIndex((held, i) => held === this.address && i !== this.index)
    if (this.stale) {
      expect(result._tag).toBe("Failure")
      if (result._tag === "Failure") expect(result.failure).toBeInstanceOf(VersionConflictError)
    } else if (holder >= 0) {
      expect(result._tag).toBe("Failure")
      if (result._tag === "Failure") {
        expect(result.failure).toBeInstanceOf(IdentityTakenError)
        expect(result.failure).toMatchObject({ contactId: r.contacts[holder]!.id, identity: { kind: "email", value: email } })
      }
    } else {
      expect(result._tag).toBe("Success")
      m.emails[this.index] = this.address
    }
  }
  toString = () => `setEmail(${this.index}, ${this.address}, stale=${this.stale})`
}

class CheckIdentities implements Command {
  check = () => true
  async run(m: Model, r: Real) {
    for (const [a, value] of addresses.entries()) {
      const found = await run(r.storage.query((repos) => repos.contacts.findByIdentity(r.tenantId, { kind: "email", value })))
      const holder = m.emails.indexOf(a)
      expect(found?.id ?? null).toBe(holder < 0 ? null : r.contacts[holder]!.id)
    }
  }
  toString = () => "checkIdentities"
}

class UpdateConversation implements Command {
  constructor(
    readonly index: number,
    readonly status: Conversation["status"],
    readonly stale: boolean,
  ) {}
  check = () => true
  async run(m: Model, r: Real) {
    const base = r.conversations[this.index]!
    const version = this.stale ? m.versions[this.index]! : m.versions[this.index]! + 1
    const contactId = r.contacts[m.owners[this.index]!]!.id
    const result = await run(Effect.result(r.storage.transaction((repos) => repos.conversations.update({ ...base, contactId, status: this.status, version }))))
    if (this.stale) {
      expect(result._tag).toBe("Failure")
      if (result._tag === "Failure") expect(result.failure).toBeInstanceOf(VersionConflictError)
    } else {
      expect(result._tag).toBe("Success")
      m.versions[this.index] = version
      m.statuses[this.index] = this.status
    }
  }
  toString = () => `update(${this.index}, ${this.status}, stale=${this.stale})`
}

class Tag implements Command {
  constructor(
    readonly index: number,
    readonly keyword: number,
    readonly attach: boolean,
  ) {}
  check = () => true
  async run(m: Model, r: Real) {
    const conversationId = r.conversations[this.index]!.id
    const keywordId = r.keywords[this.keyword]!.id
    const changed = await run(
      r.storage.transaction((repos) =>
        this.attach
          ? repos.tagging.attachKeyword(r.tenantId, conversationId, keywordId, "2026-03-01T09:00:00.000Z")
          : repos.tagging.detachKeyword(r.tenantId, conversationId, keywordId),
      ),
    )
    const set = m.keywords[this.index]!
    expect(changed).toBe(this.attach ? !set.has(this.keyword) : set.has(this.keyword))
    if (this.attach) set.add(this.keyword)
    else set.delete(this.keyword)
  }
  toString = () => `${this.attach ? "attach" : "detach"}(${this.index}, ${this.keyword})`
}

class AddNote implements Command {
  constructor(
    readonly index: number,
    readonly note: Note,
    readonly failAfter: boolean,
  ) {}
  check = () => true
  async run(m: Model, r: Real) {
    const conversation = r.conversations[this.index]!
    const contactId = r.contacts[m.owners[this.index]!]!.id
    const note: Note = { ...this.note, tenantId: r.tenantId, subject: { kind: "conversation", id: conversation.id }, contactId }
    const work = r.storage.transaction((repos) => Effect.andThen(repos.notes.insert(note), this.failAfter ? Effect.fail("rolled back") : Effect.void))
    const result = await run(Effect.result(work))
    expect(result._tag).toBe(this.failAfter ? "Failure" : "Success")
    if (!this.failAfter) m.notes[this.index]!.push(note)
  }
  toString = () => `addNote(${this.index}, fail=${this.failAfter})`
}

class DeleteNote implements Command {
  constructor(
    readonly index: number,
    readonly which: number,
  ) {}
  check = (m: Readonly<Model>) => m.notes[this.index]!.length > 0
  async run(m: Model, r: Real) {
    const notes = m.notes[this.index]!
    const [note] = notes.splice(this.which % notes.length, 1)
    await run(
      r.storage.transaction((repos) => repos.notes.update({ ...note!, deletedAt: "2026-03-02T09:00:00.000Z", deletedBy: "sam", version: note!.version + 1 })),
    )
  }
  toString = () => `deleteNote(${this.index}, ${this.which})`
}

/** Records the move of conversations `moving` (and their notes) to contact `to` in the model. */
const moveInModel = (m: Model, r: Real, moving: ReadonlyArray<number>, to: number) => {
  for (const i of moving) {
    m.owners[i] = to
    m.versions[i] = m.versions[i]! + 1
    m.notes[i] = m.notes[i]!.map((n) => ({ ...n, contactId: r.contacts[to]!.id, version: n.version + 1 }))
  }
}

class Merge implements Command {
  constructor(
    readonly from: number,
    readonly to: number,
  ) {}
  check = () => this.from !== this.to
  async run(m: Model, r: Real) {
    const moved = await run(r.storage.transaction((repos) => repos.merges.moveRecords(r.tenantId, r.contacts[this.from]!.id, r.contacts[this.to]!.id)))
    const moving = m.owners.flatMap((owner, i) => (owner === this.from ? [i] : []))
    expect([...moved.conversations].sort()).toEqual(moving.map((i) => r.conversations[i]!.id).sort())
    // Deleted notes move too; the live ones are those the model keeps.
    expect(moved.notes).toEqual(expect.arrayContaining(moving.flatMap((i) => m.notes[i]!.map((n) => n.id))))
    moveInModel(m, r, moving, this.to)
    m.merges.push({ from: this.from, to: this.to, moved })
  }
  toString = () => `merge(${this.from} into ${this.to})`
}

class Unmerge implements Command {
  check = (m: Readonly<Model>) => m.merges.length > 0
  async run(m: Model, r: Real) {
    const { from, to, moved } = m.merges.pop()!
    const returned = await run(r.storage.transaction((repos) => repos.merges.returnRecords(r.tenantId, r.contacts[to]!.id, r.contacts[from]!.id, moved)))
    const ids = new Set(moved.conversations)
    const returning = m.owners.flatMap((owner, i) => (owner === to && ids.has(r.conversations[i]!.id) ? [i] : []))
    expect(returned.conversations).toBe(returning.length)
    moveInModel(m, r, returning, from)
  }
  toString = () => "unmerge"
}

// Three attributes of conversations: a number, a text and a boolean.
const attributeKeys = ["seats", "store", "vip"] as const
const attributeTypes = { seats: "number", store: "text", vip: "boolean" } as const
const attributeValueOf = (key: (typeof attributeKeys)[number]): fc.Arbitrary<AttributeValue> =>
  key === "seats" ? fc.integer({ min: -1000, max: 1000 }) : key === "store" ? fc.string({ minLength: 1, maxLength: 12 }) : fc.boolean()

class SetAttribute implements Command {
  constructor(
    readonly index: number,
    readonly key: (typeof attributeKeys)[number],
    readonly value: AttributeValue | null,
    readonly failAfter: boolean,
  ) {}
  check = () => true
  async run(m: Model, r: Real) {
    const subject = { kind: "conversation" as const, id: r.conversations[this.index]!.id }
    const change = (repos: StorageRepositories) =>
      this.value === null
        ? Effect.asVoid(repos.attributes.deleteValue(r.tenantId, subject, this.key))
        : repos.attributes.putValue({
            tenantId: r.tenantId,
            subject,
            key: this.key,
            type: attributeTypes[this.key],
            value: this.value,
            updatedAt: "2026-03-01T09:00:00.000Z",
          })
    const work = r.storage.transaction((repos) => Effect.andThen(change(repos), this.failAfter ? Effect.fail("rolled back") : Effect.void))
    const result = await run(Effect.result(work))
    expect(result._tag).toBe(this.failAfter ? "Failure" : "Success")
    if (this.failAfter) return
    if (this.value === null) m.attributes[this.index]!.delete(this.key)
    else m.attributes[this.index]!.set(this.key, this.value)
  }
  toString = () => `setAttribute(${this.index}, ${this.key}, ${JSON.stringify(this.value)}, fail=${this.failAfter})`
}

class Check implements Command {
  constructor(readonly index: number) {}
  check = () => true
  async run(m: Model, r: Real) {
    const conversation = r.conversations[this.index]!
    const [stored, keywords, notes, attributes] = await run(
      r.storage.query((repos) =>
        Effect.all([
          repos.conversations.get(r.tenantId, conversation.id),
          repos.tagging.keywordsOf(r.tenantId, conversation.id),
          // Read two at a time: the pages together must be the whole list.
          allPages(
            (slice) => repos.notes.listBySubject(r.tenantId, { kind: "conversation", id: conversation.id }, slice),
            (n) => ({ at: n.createdAt, id: n.id }),
            2,
          ),
          repos.attributes.valuesOf(r.tenantId, { kind: "conversation", id: conversation.id }),
        ]),
      ),
    )
    expect(stored?.version).toBe(m.versions[this.index])
    expect(stored?.contactId).toBe(r.contacts[m.owners[this.index]!]!.id)
    expect(stored?.status).toBe(m.statuses[this.index])
    expect(keywords.map((k) => k.id).sort()).toEqual([...m.keywords[this.index]!].map((k) => r.keywords[k]!.id).sort())
    const expected = [...m.notes[this.index]!].sort(orderBy(newestFirst, (n: Note) => ({ at: n.createdAt, id: n.id })))
    expect(notes.map((n) => n.id)).toEqual(expected.map((n) => n.id))
    expect(attributes.map((a) => [a.key, a.value])).toEqual([...m.attributes[this.index]!].sort(([a], [b]) => (a < b ? -1 : 1)))
  }
  toString = () => `check(${this.index})`
}

/**
 * The `model` sub-suite of the storage conformance suite: random sequences of conversation updates
 * (fresh and stale), keyword attachments, note writes (some rolled back) and deletions, custom
 * attribute values set, replaced and removed (some rolled back), contacts taking and giving up
 * e-mail addresses they compete for (identities unique per tenant), the records of one contact
 * moved to another by a merge and moved back by an unmerge (the latest first), checked
 * after every step against a reference model. Runs `numRuns` sequences of up to 30 commands.
 *
 * @example
 * ```ts
 * import { memoryStorage } from "rmc-details"
 * import { describeStorageConformance } from "rmc-details/testing"
 * describeStorageConformance("memory", memoryStorage(), { only: ["model"], numRuns: 100 })
 * ```
 */
export const storageModelTest: StorageSubSuite = (storage, { numRuns }) => {
  it("behaves like the reference model under random command sequences", async () => {
    const commands = [
      fc.tuple(conversationIndex, A.arbitraries.conversationStatus, fc.boolean()).map(([i, s, stale]) => new UpdateConversation(i, s, stale)),
      fc.tuple(conversationIndex, keywordIndex, fc.boolean()).map(([i, k, attach]) => new Tag(i, k, attach)),
      fc
        .tuple(
          conversationIndex,
          A.note("x", { kind: "conversation", id: "00000000-0000-7000-8000-000000000000" }, "00000000-0000-7000-8000-000000000000"),
          fc.boolean(),
        )
        .map(([i, n, fail]) => new AddNote(i, n, fail)),
      fc.tuple(conversationIndex, fc.nat()).map(([i, w]) => new DeleteNote(i, w)),
      fc
        .tuple(conversationIndex, fc.constantFrom(...attributeKeys), fc.boolean())
        .chain(([i, key, fail]) => fc.option(attributeValueOf(key), { nil: null }).map((value) => new SetAttribute(i, key, value, fail))),
      conversationIndex.map((i) => new Check(i)),
      fc.tuple(contactIndex, addressIndex, fc.boolean()).map(([i, a, stale]) => new SetEmail(i, a, stale)),
      fc.constant(new CheckIdentities()),
      fc.tuple(contactIndex, contactIndex).map(([from, to]) => new Merge(from, to)),
      fc.constant(new Unmerge()),
    ]
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 30, size: "+1" }), async (cmds) => {
        const tenantId = `t-${crypto.randomUUID().slice(0, 18)}`
        // Contacts whose one identity is the address the commands give them.
        const contacts = fc.sample(A.contact(tenantId), 3).map((c): Contact => ({ ...c, primaryPhone: null, phones: [], email: null, channelIdentities: [] }))
        const contact = contacts[0]!
        const conversations = fc.sample(A.conversation(tenantId, contact.id), 3)
        const keywords = fc.sample(A.keyword(tenantId), 3).map((k, i) => ({ ...k, name: `kw${i}`, normalizedName: `kw${i}` }))
        const store = storage()
        await run(
          store.transaction((repos) =>
            Effect.gen(function* () {
              for (const c of contacts) yield* repos.contacts.insert(c)
              for (const c of conversations) yield* repos.conversations.insert(c)
              for (const k of keywords) yield* repos.keywords.insert(k)
            }),
          ),
        )
        const model: Model = {
          versions: conversations.map(() => 1),
          statuses: conversations.map((c) => c.status),
          keywords: conversations.map(() => new Set()),
          notes: conversations.map(() => []),
          emails: contacts.map(() => null),
          attributes: conversations.map(() => new Map()),
          owners: conversations.map(() => 0),
          merges: [],
        }
        await fc.asyncModelRun(() => ({ model, real: { storage: store, tenantId, conversations, keywords, contacts } }), cmds)
      }),
      { numRuns },
    )
  })
}
