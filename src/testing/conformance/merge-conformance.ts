import { Effect, Layer } from "effect"
import fc from "fast-check"
import { expect, it } from "vitest"
import { makeMemoryTelephony } from "../../adapters/memory/memory-telephony"
import { erasedMarker } from "../../domain/privacy/erasure"
import type { Principal } from "../../domain/shared/principal"
import { createRmc, type Rmc } from "../../facade/create-rmc"
import { Clock } from "../../ports/clock"
import { Storage } from "../../ports/storage"
import type { RmcApi } from "../../use-cases/catalog"
import * as A from "../arbitraries/entities"
import { newTenant, run } from "./conformance-kit"
import type { StorageSubSuite } from "./storage-sub-suite"

const timeout = 60_000

/**
 * The `merge` sub-suite of the storage conformance suite. `previewMerge` tells what a merge would
 * move and where both contacts disagree; `mergeContacts` moves every conversation, note, call and
 * activity event of the secondary contact to the primary, gives it the secondary's identities and
 * leaves a tombstone that answers `merged`; `unmergeContacts` splits them back, within the
 * tenant's window, by the documented rules for what changed since. Refusals (same contact,
 * tombstones, chains, erased contacts, another tenant, the tenant's merge role) write nothing; an
 * erasure takes the merge records and the contacts merged into the erased one with it; and
 * a note added or a conversation opened while a merge runs ends on the primary or is refused,
 * never on a tombstone.
 *
 * @example
 * ```ts
 * import { memoryStorage } from "rmc-details"
 * import { describeStorageConformance } from "rmc-details/testing"
 * describeStorageConformance("memory", memoryStorage(), { only: ["merge"] })
 * ```
 */
export const mergeConformance: StorageSubSuite = (storage) => {
  let now = new Date("2026-12-07T10:00:00.000Z")
  const session = () => createRmc({ storage: Layer.succeed(Storage, storage()), telephony: makeMemoryTelephony().layer, clock: Clock.layerFrom(() => now) })
  const principals = (tenantId: string) => ({
    agent: { tenantId, agentId: "merge-agent", role: "agent" } satisfies Principal,
    supervisor: { tenantId, agentId: "merge-supervisor", role: "supervisor" } satisfies Principal,
    admin: { tenantId, agentId: "merge-admin", role: "admin" } satisfies Principal,
  })
  /** A test body run with a session of its own on a new tenant; the session is disposed after it. */
  const inSession = (body: (rmc: Rmc, tenantId: string) => Promise<void>) => async () => {
    const rmc = session()
    try {
      await body(rmc, newTenant())
    } finally {
      await rmc.dispose()
    }
  }
  const later = (ms: number) => {
    now = new Date(now.getTime() + ms)
  }

  type Outcome = { readonly target: number } & ({ readonly ok: true; readonly id: string } | { readonly ok: false; readonly error: unknown })
  /**
   * Four writers that go on one write after the other, to targets 0, 1 and 2 in turn (0 and 1 about
   * the secondary, 2 about the primary), while the secondary is merged into the primary once the
   * first write is acknowledged. Checks what every such race must show: the merge keeps the primary,
   * a refused write is refused with `merged` pointing at the primary, and no write about the primary
   * is refused. Answers the ids of the acknowledged writes.
   */
  const writeWhileMerging = async (
    api: RmcApi,
    s: { readonly primary: { readonly id: string }; readonly secondary: { readonly id: string } },
    write: (target: number, label: string) => Promise<{ readonly id: string }>,
  ): Promise<Array<string>> => {
    let first: () => void = () => {}
    const started = new Promise<void>((resolve) => {
      first = resolve
    })
    const writer = async (w: number) => {
      const outcomes: Array<Outcome> = []
      for (let n = 0; n < 8; n++) {
        const target = (w + n) % 3
        outcomes.push(
          await write(target, `${w}.${n}`).then(
            (written) => ({ target, ok: true as const, id: written.id }),
            (error: unknown) => ({ target, ok: false as const, error }),
          ),
        )
        first()
      }
      return outcomes
    }
    const merge = () => api.mergeContacts({ primaryId: s.primary.id, secondaryId: s.secondary.id })
    const [outcomes, merged] = await Promise.all([Promise.all([0, 1, 2, 3].map(writer)), started.then(merge)])
    const results = outcomes.flat()
    expect(merged.primary.id).toBe(s.primary.id)
    for (const result of results) if (!result.ok) expect(result.error).toMatchObject({ code: "merged", mergedInto: s.primary.id })
    // The primary stays live: every write about it is acknowledged.
    expect(results.filter((r) => r.target === 2 && !r.ok)).toEqual([])
    return results.flatMap((r) => (r.ok ? [r.id] : []))
  }

  /** Two duplicates of one person, each with conversations, notes, a call and an attribute value. */
  const seed = async (rmc: Rmc, tenantId: string) => {
    const tag = tenantId.slice(2, 14).replaceAll("-", "")
    const api = rmc.as(principals(tenantId).supervisor)
    await rmc.as(principals(tenantId).admin).defineAttribute({ key: "tier", label: "Tier", type: "text", target: "contact" })
    const primary = await api.createContact({
      fullName: `Marie Curie ${tag}`,
      type: "Client",
      primaryPhone: "+33612000001",
      email: `marie.${tag}@example.com`,
    })
    const secondary = await api.createContact({
      fullName: `M. Curie ${tag}`,
      type: "Lead",
      primaryPhone: "+33612000002",
      phones: ["+33612000003"],
      email: `curie.${tag}@example.com`,
      channelIdentities: [{ channel: "telegram", handle: `@curie${tag}` }],
    })
    later(1000)
    const kept = await api.openConversation({ contactId: primary.id, channel: "email" })
    const moved = [
      await api.openConversation({ contactId: secondary.id, channel: "sms" }),
      await api.openConversation({ contactId: secondary.id, channel: "whatsapp" }),
    ]
    const onContact = await api.addNote({ subject: { kind: "contact", id: secondary.id }, body: "Prefers the afternoon" })
    const onConversation = await api.addNote({ subject: { kind: "conversation", id: moved[0]!.id }, body: "Asked for a quote" })
    await api.callContact({ conversationId: moved[0]!.id, idempotencyKey: `call-${tenantId}` })
    await api.setAttributes({ subject: { kind: "contact", id: primary.id }, values: { tier: "Gold" } })
    await api.setAttributes({ subject: { kind: "contact", id: secondary.id }, values: { tier: "Silver" } })
    later(1000)
    return {
      tag,
      primary: await api.getContact({ contactId: primary.id }),
      secondary: await api.getContact({ contactId: secondary.id }),
      kept,
      moved,
      notes: { onContact, onConversation },
    }
  }

  /** What a reader observes of a contact: the contact, its conversations, notes, attributes and calls. */
  const observed = async (api: RmcApi, contactId: string) => {
    const conversations = (await api.listContactConversations({ contactId, limit: 100 })).items
    return {
      contact: await api.getContact({ contactId }),
      conversations: conversations.map((c) => c.id).sort(),
      contactNotes: (await api.listNotes({ subject: { kind: "contact", id: contactId }, limit: 100 })).items.map((n) => n.id).sort(),
      conversationNotes: (
        await Promise.all(conversations.map(async (c) => (await api.listNotes({ subject: { kind: "conversation", id: c.id }, limit: 100 })).items))
      )
        .flat()
        .map((n) => n.id)
        .sort(),
      attributes: (await api.getAttributes({ subject: { kind: "contact", id: contactId } })).values,
    }
  }

  it(
    "store merge records as they are written, scoped by tenant, and record an unmerge once",
    async () => {
      const tenantId = newTenant()
      const records = fc.sample(A.contactMerge(tenantId), 5).map((m) => ({ ...m, unmergedAt: null, unmergedBy: null }))
      await run(storage().transaction((r) => Effect.forEach(records, (m) => r.merges.insert(m), { discard: true })))
      for (const m of records) {
        expect(await run(storage().query((r) => r.merges.get(tenantId, m.id)))).toEqual(m)
        expect(await run(storage().query((r) => r.merges.get(newTenant(), m.id)))).toBeNull()
      }
      const [undone] = records
      const at = "2026-12-08T10:00:00.000Z"
      expect(await run(storage().transaction((r) => r.merges.markUnmerged(tenantId, undone!.id, at, "sam")))).toBe(true)
      expect(await run(storage().transaction((r) => r.merges.markUnmerged(tenantId, undone!.id, at, "sam")))).toBe(false)
      expect(await run(storage().query((r) => r.merges.get(tenantId, undone!.id)))).toEqual({ ...undone, unmergedAt: at, unmergedBy: "sam" })
      // The newest merge into a contact not undone, made at or after a time, is the open one.
      const into = { ...records[1]!, id: crypto.randomUUID(), primaryId: crypto.randomUUID(), mergedAt: "2026-12-01T10:00:00.000Z" }
      const newer = { ...into, id: crypto.randomUUID(), mergedAt: "2026-12-05T10:00:00.000Z" }
      await run(storage().transaction((r) => Effect.andThen(r.merges.insert(into), r.merges.insert(newer))))
      const open = (since: string) => run(storage().query((r) => r.merges.findOpenInto(tenantId, into.primaryId, since)))
      expect((await open("2026-12-02T00:00:00.000Z"))?.id).toBe(newer.id)
      expect(await open("2026-12-06T00:00:00.000Z")).toBeNull()
    },
    timeout,
  )

  it(
    "preview what a merge moves and the conflicting fields with both values, writing nothing",
    inSession(async (rmc, tenantId) => {
      const api = rmc.as(principals(tenantId).supervisor)
      const s = await seed(rmc, tenantId)
      const preview = await api.previewMerge({ primaryId: s.primary.id, secondaryId: s.secondary.id })
      expect(preview.primary).toEqual(s.primary)
      expect(preview.secondary).toEqual(s.secondary)
      // Two conversations, two notes, one call; the events of the secondary and of its conversations.
      expect(preview.moves).toMatchObject({ conversations: 2, notes: 2, calls: 1 })
      expect(preview.moves.activity).toBeGreaterThanOrEqual(6)
      expect(preview.moves.phones).toEqual(["+33612000002", "+33612000003"])
      expect(preview.moves.identities).toEqual(
        expect.arrayContaining([
          { kind: "phone", value: "+33612000002" },
          { kind: "email", value: `curie.${s.tag}@example.com` },
          { kind: "telegram", value: `curie${s.tag}` },
        ]),
      )
      expect(preview.conflicts).toEqual([
        { field: "fullName", primary: s.primary.fullName, secondary: s.secondary.fullName },
        { field: "type", primary: "Client", secondary: "Lead" },
        { field: "email", primary: s.primary.email, secondary: s.secondary.email },
        { field: "primaryPhone", primary: "+33612000001", secondary: "+33612000002" },
        { field: "attributes.tier", primary: "Gold", secondary: "Silver" },
      ])
      expect(await api.getContact({ contactId: s.secondary.id })).toEqual(s.secondary)
    }),
    timeout,
  )

  it(
    "merge moves everything to the primary, with the chosen fields, and leaves a tombstone answering merged",
    inSession(async (rmc, tenantId) => {
      const { supervisor, agent } = principals(tenantId)
      const api = rmc.as(supervisor)
      const s = await seed(rmc, tenantId)
      const result = await api.mergeContacts({
        primaryId: s.primary.id,
        secondaryId: s.secondary.id,
        choose: { fullName: "secondary", primaryPhone: "secondary", "attributes.tier": "secondary" },
        expectedVersions: { primary: s.primary.version, secondary: s.secondary.version },
      })
      expect(result.moved).toMatchObject({ conversations: 2, notes: 2, calls: 1 })
      expect(result.primary).toMatchObject({
        id: s.primary.id,
        fullName: s.secondary.fullName,
        type: "Client",
        primaryPhone: "+33612000002",
        email: s.primary.email,
        mergedInto: null,
        version: s.primary.version + 1,
      })
      expect([...result.primary.phones].sort()).toEqual(["+33612000001", "+33612000003"])
      expect(result.primary.channelIdentities).toEqual(
        expect.arrayContaining([
          { channel: "telegram", handle: `@curie${s.tag}` },
          { channel: "email", handle: `curie.${s.tag}@example.com` },
        ]),
      )
      expect(await api.getContact({ contactId: s.primary.id })).toEqual(result.primary)
      const merged = { code: "merged", contactId: s.secondary.id, mergedInto: s.primary.id }
      for (const read of [
        () => api.getContact({ contactId: s.secondary.id }),
        () => api.listContactConversations({ contactId: s.secondary.id }),
        () => api.contactActivity({ contactId: s.secondary.id }),
        () => api.listNotes({ subject: { kind: "contact", id: s.secondary.id } }),
        () => api.getAttributes({ subject: { kind: "contact", id: s.secondary.id } }),
        () => api.updateContact({ contactId: s.secondary.id, fullName: "Too late" }),
        () => api.addNote({ subject: { kind: "contact", id: s.secondary.id }, body: "Lost?" }),
        () => api.openConversation({ contactId: s.secondary.id, channel: "sms" }),
      ]) {
        await expect(read()).rejects.toMatchObject(merged)
      }
      const after = await observed(api, s.primary.id)
      expect(after.conversations).toEqual([s.kept.id, ...s.moved.map((c) => c.id)].sort())
      expect(after.contactNotes).toEqual([s.notes.onContact.id])
      expect(after.conversationNotes).toEqual([s.notes.onConversation.id])
      expect(after.attributes).toEqual({ tier: "Silver" })
      expect((await api.listCalls({ conversationId: s.moved[0]!.id })).items).toHaveLength(1)
      // The secondary's identities now find the primary; the tombstone is out of every search.
      for (const identity of [{ phone: "+33612000003" }, { email: `curie.${s.tag}@example.com` }, { channel: "telegram" as const, handle: `@curie${s.tag}` }]) {
        expect((await api.findContacts(identity)).items.map((c) => c.id)).toEqual([s.primary.id])
      }
      // The primary took the secondary's name: the name finds it alone.
      expect((await api.findContacts({ namePrefix: `M. Curie ${s.tag}` })).items.map((c) => c.id)).toEqual([s.primary.id])
      expect((await rmc.as(agent).getConversation({ conversationId: s.moved[1]!.id })).contactId).toBe(s.primary.id)
      // The merge is on the primary's timeline; the secondary's own event stays with it (seen after an unmerge).
      const activity = (await api.contactActivity({ contactId: s.primary.id, limit: 100 })).items
      expect(activity.filter((e) => e.type === "contact.merged")).toEqual([
        expect.objectContaining({ contactId: s.primary.id, after: expect.objectContaining({ mergeId: result.mergeId, secondaryId: s.secondary.id }) }),
      ])
      expect(activity.some((e) => e.type === "note.added" && e.subjectId === s.notes.onContact.id)).toBe(true)
    }),
    timeout,
  )

  it(
    "refuse merging a contact with itself, tombstones, chains, erased contacts, another tenant's contact and roles below the tenant's",
    inSession(async (rmc, tenantId) => {
      const { agent, supervisor, admin } = principals(tenantId)
      const api = rmc.as(supervisor)
      const s = await seed(rmc, tenantId)
      const third = await api.createContact({ fullName: "Third Person", primaryPhone: "+33612000009" })
      const refused = (reason: string) => ({ code: "merge_refused", reason })
      await expect(api.mergeContacts({ primaryId: s.primary.id, secondaryId: s.primary.id })).rejects.toMatchObject(refused("same_contact"))
      await expect(rmc.as(agent).mergeContacts({ primaryId: s.primary.id, secondaryId: s.secondary.id })).rejects.toMatchObject({ code: "forbidden" })
      await expect(rmc.as(agent).previewMerge({ primaryId: s.primary.id, secondaryId: s.secondary.id })).rejects.toMatchObject({ code: "forbidden" })
      const other = rmc.as(principals(newTenant()).admin)
      await expect(other.mergeContacts({ primaryId: s.primary.id, secondaryId: s.secondary.id })).rejects.toMatchObject({ code: "not_found" })
      const stale = { primaryId: s.primary.id, secondaryId: s.secondary.id, expectedVersions: { secondary: s.secondary.version - 1 } }
      await expect(api.mergeContacts(stale)).rejects.toMatchObject({ code: "version_conflict" })
      const { mergeId } = await api.mergeContacts({ primaryId: s.primary.id, secondaryId: s.secondary.id })
      await expect(api.mergeContacts({ primaryId: third.id, secondaryId: s.secondary.id })).rejects.toMatchObject(refused("secondary_merged"))
      await expect(api.mergeContacts({ primaryId: s.secondary.id, secondaryId: third.id })).rejects.toMatchObject(refused("primary_merged"))
      // The primary of a merge that can still be undone is not merged away: that would be a chain.
      await expect(api.mergeContacts({ primaryId: third.id, secondaryId: s.primary.id })).rejects.toMatchObject(refused("chain"))
      await expect(other.unmergeContacts({ mergeId })).rejects.toMatchObject({ code: "not_found", entity: "merge" })
      const erased = await api.createContact({ fullName: "Erased Person" })
      await rmc.as(admin).eraseContact({ contactId: erased.id, reason: "Asked by the customer" })
      await expect(api.mergeContacts({ primaryId: third.id, secondaryId: erased.id })).rejects.toMatchObject({ code: "contact_erased" })
      expect(await api.getContact({ contactId: third.id })).toEqual(third)
      // The tenant's setting lets agents merge.
      await rmc.as(admin).configureTenant({ merge: { minRole: "agent" } })
      const fourth = await api.createContact({ fullName: "Fourth Person" })
      await expect(rmc.as(agent).mergeContacts({ primaryId: third.id, secondaryId: fourth.id })).resolves.toMatchObject({ primary: { id: third.id } })
    }),
    timeout,
  )

  it(
    "unmerge right after a merge restores both contacts' conversations, notes, attributes and identities",
    inSession(async (rmc, tenantId) => {
      const api = rmc.as(principals(tenantId).supervisor)
      const s = await seed(rmc, tenantId)
      const primaryBefore = await observed(api, s.primary.id)
      const secondaryBefore = await observed(api, s.secondary.id)
      const { mergeId } = await api.mergeContacts({
        primaryId: s.primary.id,
        secondaryId: s.secondary.id,
        choose: { fullName: "secondary", email: "secondary", primaryPhone: "secondary", type: "secondary", "attributes.tier": "secondary" },
      })
      later(60_000)
      const undone = await api.unmergeContacts({ mergeId })
      expect(undone.returned).toMatchObject({ conversations: 2, notes: 2, calls: 1 })
      const primaryAfter = await observed(api, s.primary.id)
      const secondaryAfter = await observed(api, s.secondary.id)
      const unversioned = <A extends { contact: { version: number } }>(o: A) => ({ ...o, contact: { ...o.contact, version: 0 } })
      expect(unversioned(primaryAfter)).toEqual(unversioned(primaryBefore))
      expect(unversioned(secondaryAfter)).toEqual(unversioned(secondaryBefore))
      expect((await api.findContacts({ phone: "+33612000003" })).items.map((c) => c.id)).toEqual([s.secondary.id])
      const types = async (contactId: string) => (await api.contactActivity({ contactId, limit: 100 })).items.map((e) => e.type)
      expect(await types(s.secondary.id)).toEqual(expect.arrayContaining(["contact.merged", "contact.unmerged"]))
      expect(await types(s.primary.id)).toEqual(expect.arrayContaining(["contact.merged", "contact.unmerged"]))
      await expect(api.unmergeContacts({ mergeId })).rejects.toMatchObject({ code: "merge_refused", reason: "already_unmerged" })
    }),
    timeout,
  )

  it(
    "unmerge keeps what changed since the merge: later changes of fields, records added to the primary; records follow their conversation",
    inSession(async (rmc, tenantId) => {
      const api = rmc.as(principals(tenantId).supervisor)
      const s = await seed(rmc, tenantId)
      const { mergeId, primary } = await api.mergeContacts({
        primaryId: s.primary.id,
        secondaryId: s.secondary.id,
        choose: { fullName: "secondary", type: "secondary" },
      })
      const renamed = await api.updateContact({ contactId: primary.id, fullName: "Marie S. Curie" })
      const onPrimary = await api.addNote({ subject: { kind: "contact", id: primary.id }, body: "Merged record checked" })
      const onMoved = await api.addNote({ subject: { kind: "conversation", id: s.moved[1]!.id }, body: "Follow-up after the merge" })
      const undone = await api.unmergeContacts({ mergeId })
      // The name changed since the merge: it stays; the type the merge chose goes back.
      expect(undone.primary).toMatchObject({ fullName: "Marie S. Curie", type: "Client", version: renamed.version + 1 })
      expect(undone.secondary).toMatchObject({ fullName: s.secondary.fullName, type: "Lead", primaryPhone: "+33612000002", mergedInto: null })
      const primaryNotes = (await api.listNotes({ subject: { kind: "contact", id: s.primary.id } })).items.map((n) => n.id)
      expect(primaryNotes).toEqual([onPrimary.id])
      expect((await api.listNotes({ subject: { kind: "contact", id: s.secondary.id } })).items.map((n) => n.id)).toEqual([s.notes.onContact.id])
      // A note added on a moved conversation after the merge goes back with its conversation.
      expect((await api.getNote({ noteId: onMoved.id })).contactId).toBe(s.secondary.id)
      expect((await api.getConversation({ conversationId: s.moved[1]!.id })).contactId).toBe(s.secondary.id)
    }),
    timeout,
  )

  it(
    "unmerge gives no contact a type the catalog lost since the merge",
    inSession(async (rmc, tenantId) => {
      const { supervisor, admin } = principals(tenantId)
      const api = rmc.as(supervisor)
      const s = await seed(rmc, tenantId)
      const { mergeId } = await api.mergeContacts({ primaryId: s.primary.id, secondaryId: s.secondary.id, choose: { type: "secondary" } })
      // Client (the primary's type before the merge) leaves the catalog; Lead (both contacts' now) is replaced.
      await rmc.as(admin).configureTenant({ contactTypes: ["User", "Prospect"], transitions: [], replaceContactTypes: { Lead: "Prospect" } })
      const undone = await api.unmergeContacts({ mergeId })
      expect(undone.primary.type).toBe("Prospect")
      expect(undone.secondary.type).toBe("Prospect")
      expect(await api.getContact({ contactId: s.secondary.id })).toEqual(undone.secondary)
    }),
    timeout,
  )

  it(
    "refuse an unmerge once the tenant's window has passed, or of an unknown merge",
    inSession(async (rmc, tenantId) => {
      const { supervisor, admin } = principals(tenantId)
      const api = rmc.as(supervisor)
      await rmc.as(admin).configureTenant({ merge: { unmergeWindowDays: 2 } })
      const s = await seed(rmc, tenantId)
      const { mergeId } = await api.mergeContacts({ primaryId: s.primary.id, secondaryId: s.secondary.id })
      later(3 * 86_400_000)
      await expect(api.unmergeContacts({ mergeId })).rejects.toMatchObject({ code: "merge_refused", reason: "window_closed" })
      await expect(api.getContact({ contactId: s.secondary.id })).rejects.toMatchObject({ code: "merged", mergedInto: s.primary.id })
      await expect(api.unmergeContacts({ mergeId: crypto.randomUUID() })).rejects.toMatchObject({ code: "not_found", entity: "merge" })
      // Past the window, the primary is no longer held by its merge: it can be merged away.
      const other = await api.createContact({ fullName: "Other Person" })
      await expect(api.mergeContacts({ primaryId: other.id, secondaryId: s.primary.id })).resolves.toMatchObject({ primary: { id: other.id } })
    }),
    timeout,
  )

  it(
    "erase with a contact the records of its merges and the contacts merged into it",
    inSession(async (rmc, tenantId) => {
      const { supervisor, admin } = principals(tenantId)
      const api = rmc.as(supervisor)
      const s = await seed(rmc, tenantId)
      const { mergeId } = await api.mergeContacts({ primaryId: s.primary.id, secondaryId: s.secondary.id })
      await rmc.as(admin).eraseContact({ contactId: s.primary.id, reason: "Asked by the customer" })
      const [merge, tombstone, values] = await run(
        storage().query((r) =>
          Effect.all([
            r.merges.get(tenantId, mergeId),
            r.contacts.get(tenantId, s.secondary.id),
            r.attributes.valuesOf(tenantId, { kind: "contact", id: s.secondary.id }),
          ]),
        ),
      )
      expect(merge).toBeNull()
      expect(tombstone).toMatchObject({ fullName: erasedMarker, primaryPhone: null, phones: [], email: null, mergedInto: s.primary.id })
      expect(tombstone?.erasedAt).not.toBeNull()
      expect(values).toEqual([])
      await expect(api.unmergeContacts({ mergeId })).rejects.toMatchObject({ code: "not_found", entity: "merge" })
    }),
    timeout,
  )

  it(
    "lose no note added while a merge runs: those about the secondary end on the primary or are refused with merged, never on a tombstone",
    inSession(async (rmc, tenantId) => {
      const { supervisor, agent } = principals(tenantId)
      const api = rmc.as(supervisor)
      const s = await seed(rmc, tenantId)
      const writers = rmc.as(agent)
      // Notes on both of the secondary's conversations and on the primary's own one.
      const targets = [s.moved[0]!.id, s.moved[1]!.id, s.kept.id]
      const acknowledged = await writeWhileMerging(api, s, (target, label) =>
        writers.addNote({ subject: { kind: "conversation", id: targets[target]! }, body: `Concurrent note ${label}` }),
      )
      for (const id of acknowledged) expect((await api.getNote({ noteId: id })).contactId).toBe(s.primary.id)
      const onPrimary = await Promise.all(
        [...s.moved, s.kept].map(async (c) => (await api.listNotes({ subject: { kind: "conversation", id: c.id }, limit: 100 })).items),
      )
      expect(
        onPrimary
          .flat()
          .filter((n) => n.body.startsWith("Concurrent"))
          .map((n) => n.id)
          .sort(),
      ).toEqual([...acknowledged].sort())
    }),
    timeout,
  )

  it(
    "lose no conversation opened while a merge runs: those of the secondary end on the primary or are refused with merged, never on a tombstone",
    inSession(async (rmc, tenantId) => {
      const { supervisor, agent } = principals(tenantId)
      const api = rmc.as(supervisor)
      const s = await seed(rmc, tenantId)
      const writers = rmc.as(agent)
      // Conversations opened on the secondary (twice as often) and on the primary.
      const contacts = [s.secondary.id, s.secondary.id, s.primary.id]
      const acknowledged = await writeWhileMerging(api, s, (target) => writers.openConversation({ contactId: contacts[target]!, channel: "webchat" }))
      for (const id of acknowledged) expect((await api.getConversation({ conversationId: id })).contactId).toBe(s.primary.id)
      const onPrimary = (await api.listContactConversations({ contactId: s.primary.id, limit: 100 })).items.map((c) => c.id)
      expect(onPrimary).toEqual(expect.arrayContaining(acknowledged))
      expect(onPrimary).toHaveLength(acknowledged.length + 1 + s.moved.length)
    }),
    timeout,
  )
}
