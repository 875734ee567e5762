import { Effect, Layer, Stream } from "effect"
import { expect, it } from "vitest"
import { makeMemoryTelephony } from "../../adapters/memory/memory-telephony"
import type { OutboxEntry } from "../../domain/activity/activity-event"
import type { ContactExportRecord } from "../../domain/privacy/contact-export"
import { erasedMarker, erasedValues } from "../../domain/privacy/erasure"
import type { Principal } from "../../domain/shared/principal"
import { createRmc } from "../../facade/create-rmc"
import { exportContactRecords } from "../../facade/export-contact-records"
import { rmcLayer } from "../../facade/rmc-layer"
import { Storage } from "../../ports/storage"
import type { RmcApi } from "../../use-cases/catalog"
import { exportContactStream } from "../../use-cases/export-contact-stream"
import { newTenant, run } from "./conformance-kit"
import type { StorageSubSuite } from "./storage-sub-suite"

/**
 * The `privacy` sub-suite of the storage conformance suite. `eraseContact` anonymises a contact's
 * personal data in every group that holds some (the contact, the notes about it and their earlier
 * bodies, the values of its events in the activity log and in the outbox, its calls, its events
 * set aside as webhook dead letters), keeps every record and count, records who, when and why, and
 * refuses further writes of personal data about the contact; nothing of another contact or tenant
 * changes. `exportContact` pages through every record of a contact in a documented order.
 * `purgeExpired` anonymises notes and event values past the tenant's retention, in bounded batches.
 *
 * @example
 * ```ts
 * import { memoryStorage } from "rmc-details"
 * import { describeStorageConformance } from "rmc-details/testing"
 * describeStorageConformance("memory", memoryStorage(), { only: ["privacy"] })
 * ```
 */
export const privacyConformance: StorageSubSuite = (storage) => {
  const session = () => createRmc({ storage: Layer.succeed(Storage, storage()), telephony: makeMemoryTelephony().layer })
  const principals = (tenantId: string) => ({
    agent: { tenantId, agentId: "privacy-agent", role: "agent" } satisfies Principal,
    supervisor: { tenantId, agentId: "privacy-supervisor", role: "supervisor" } satisfies Principal,
    admin: { tenantId, agentId: "privacy-admin", role: "admin" } satisfies Principal,
  })

  /** Where the outbox ends now: what is read from there on was written after. */
  const outboxEnd = async () => {
    let end = 0
    for (let batch = await run(storage().query((r) => r.activity.readOutbox(0, 1000))); batch.length > 0; ) {
      end = batch.at(-1)!.position
      batch = await run(storage().query((r) => r.activity.readOutbox(end, 1000)))
    }
    return end
  }

  /** The tenant's outbox entries after `after`, read on until one of them is `last`. */
  const outboxUntil = async (after: number, tenantId: string, last: (entry: OutboxEntry) => boolean) => {
    const entries: Array<OutboxEntry> = []
    const deadline = Date.now() + 10_000
    for (let position = after; ; ) {
      const batch = await run(storage().query((r) => r.activity.readOutbox(position, 500)))
      entries.push(...batch.filter((e) => e.event.tenantId === tenantId))
      if (batch.length > 0) position = batch.at(-1)!.position
      else if (entries.some(last)) return entries
      else if (Date.now() > deadline) throw new Error("the outbox never served the awaited event")
      else await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }

  const allExported = async (api: RmcApi, contactId: string, limit: number) => {
    const records: Array<ContactExportRecord> = []
    const pages: Array<number> = []
    let cursor: string | undefined
    do {
      const page = await api.exportContact({ contactId, limit, ...(cursor !== undefined && { cursor }) })
      records.push(...page.items)
      pages.push(page.items.length)
      cursor = page.nextCursor ?? undefined
    } while (cursor !== undefined)
    return { records, pages }
  }

  /** A contact with personal data in every group, and one of another contact that must stay. */
  const seed = async (api: RmcApi, tenantId: string) => {
    const personal = (what: string) => `${what}${tenantId.slice(2, 14).replaceAll("-", "")}`
    const name = personal("Erasable Person ")
    const email = `${personal("erasable").toLowerCase()}@example.com`
    const handle = `@${personal("handle")}`
    const contact = await api.createContact({
      fullName: name,
      type: "Lead",
      primaryPhone: "+33612345678",
      phones: ["+33698765432"],
      email,
      channelIdentities: [{ channel: "telegram", handle }],
    })
    const renamed = await api.updateContact({ contactId: contact.id, fullName: `${name} Renamed` })
    const first = await api.openConversation({ contactId: contact.id, channel: "sms" })
    const second = await api.openConversation({ contactId: contact.id, channel: "whatsapp" })
    const bodies = [personal("note body one "), personal("note body two "), personal("note body three "), personal("note body four ")]
    const onContact = await api.addNote({ subject: { kind: "contact", id: contact.id }, body: bodies[0]! })
    await api.editNote({ noteId: onContact.id, body: bodies[1]!, expectedVersion: onContact.version })
    const onConversation = await api.addNote({ subject: { kind: "conversation", id: first.id }, body: bodies[2]! })
    const deleted = await api.addNote({ subject: { kind: "conversation", id: second.id }, body: bodies[3]! })
    await api.deleteNote({ noteId: deleted.id, expectedVersion: deleted.version })
    const call = await api.callContact({ conversationId: first.id, idempotencyKey: `call-${tenantId}` })
    const other = await api.createContact({ fullName: personal("Kept Person "), type: "Lead", primaryPhone: "+33611111111" })
    const otherConversation = await api.openConversation({ contactId: other.id, channel: "sms" })
    const otherNote = await api.addNote({ subject: { kind: "conversation", id: otherConversation.id }, body: personal("kept body ") })
    return {
      contact: renamed,
      conversations: [first, second],
      notes: { onContact, onConversation, deleted },
      call,
      other: { contact: other, conversation: otherConversation, note: otherNote },
      personalStrings: [name, `${name} Renamed`, email, handle, "+33612345678", "+33698765432", "33612345678", ...bodies],
    }
  }

  it("erase a contact's personal data from every read, export and the outbox, keeping records and counts", async () => {
    const rmc = session()
    try {
      const tenantId = newTenant()
      const { agent, admin } = principals(tenantId)
      const api = rmc.as(admin)
      const start = await outboxEnd()
      const s = await seed(api, tenantId)
      const period = { dimension: "channel", from: "2020-01-01T00:00:00.000Z", to: "2100-01-01T00:00:00.000Z" } as const
      const volumesBefore = await api.volumeReport(period)
      const exportedBefore = await allExported(api, s.contact.id, 500)
      expect(JSON.stringify(exportedBefore.records)).toContain(s.personalStrings[0])

      const erasure = await api.eraseContact({ contactId: s.contact.id, reason: "Erasure request, ticket 4521" })
      expect(erasure).toMatchObject({ erasedBy: admin.agentId, reason: "Erasure request, ticket 4521", notes: 3, calls: 1, deadLetters: 0 })
      expect(erasure.events).toBeGreaterThanOrEqual(9)
      expect(erasure.contact).toMatchObject({
        id: s.contact.id,
        fullName: erasedMarker,
        type: "Lead",
        primaryPhone: null,
        phones: [],
        email: null,
        channelIdentities: [],
        erasedAt: erasure.erasedAt,
      })
      expect(erasure.contact.version).toBeGreaterThan(s.contact.version)

      const agentApi = rmc.as(agent)
      const reads: Array<unknown> = [
        await agentApi.getContact({ contactId: s.contact.id }),
        await agentApi.listContactConversations({ contactId: s.contact.id }),
        await agentApi.contactActivity({ contactId: s.contact.id, limit: 100 }),
        await agentApi.listNotes({ subject: { kind: "contact", id: s.contact.id } }),
        await agentApi.getNote({ noteId: s.notes.onContact.id }),
        await agentApi.searchConversations({ filter: { contactId: s.contact.id } }),
        await agentApi.listCalls({ conversationId: s.conversations[0]!.id }),
      ]
      for (const conversation of s.conversations) {
        reads.push(await agentApi.getDetails({ conversationId: conversation.id }))
        reads.push(await agentApi.conversationActivity({ conversationId: conversation.id, limit: 100 }))
        reads.push(await agentApi.listNotes({ subject: { kind: "conversation", id: conversation.id } }))
        reads.push(await agentApi.getCustomerView({ conversationId: conversation.id }))
      }
      const exported = await allExported(api, s.contact.id, 500)
      reads.push(exported.records)
      const served = await outboxUntil(start, tenantId, (e) => e.event.type === "contact.erased" && e.event.subjectId === s.contact.id)
      const text = JSON.stringify([reads, served])
      for (const personal of s.personalStrings) expect(text).not.toContain(personal)

      // Every record is still there, and one more event: the erasure's.
      const count = (records: ReadonlyArray<ContactExportRecord>, kind: ContactExportRecord["kind"]) => records.filter((r) => r.kind === kind).length
      for (const kind of ["contact", "conversation", "note", "call"] as const) expect(count(exported.records, kind)).toBe(count(exportedBefore.records, kind))
      expect(count(exported.records, "activity")).toBe(count(exportedBefore.records, "activity") + 1)
      expect(await api.volumeReport(period)).toEqual(volumesBefore)
      // An admin reads the revisions (an agent gets none of them).
      const note = await api.getNote({ noteId: s.notes.onContact.id })
      expect(note).toMatchObject({ body: erasedMarker, revisions: [{ body: erasedMarker }] })
      expect(exported.records.find((r) => r.kind === "call")).toMatchObject({ call: { id: s.call.id, to: erasedMarker, providerCallId: null } })
      const activity = await agentApi.contactActivity({ contactId: s.contact.id, limit: 100 })
      const audit = activity.items.find((e) => e.type === "contact.erased")
      expect(audit).toMatchObject({ actorId: admin.agentId, at: erasure.erasedAt, after: { reason: "Erasure request, ticket 4521", notes: 3, calls: 1 } })
      for (const event of activity.items.filter((e) => e.type !== "contact.erased")) {
        for (const values of [event.before, event.after]) expect(values === null || JSON.stringify(values) === JSON.stringify(erasedValues)).toBe(true)
      }
      // The other contact's note was served with its text: only the erased contact's is gone.
      expect(JSON.stringify(served)).toContain(s.other.note.body)

      // Nothing of the other contact changed.
      const { fullName, primaryPhone, erasedAt } = s.other.contact
      expect(await agentApi.getContact({ contactId: s.other.contact.id })).toMatchObject({ fullName, primaryPhone, erasedAt })
      expect(await agentApi.getNote({ noteId: s.other.note.id })).toEqual(s.other.note)
    } finally {
      await rmc.dispose()
    }
  })

  it("release the erased contact's identities and remove its free-form attribute values, keeping the categories reports count", async () => {
    const rmc = session()
    try {
      const tenantId = newTenant()
      const api = rmc.as(principals(tenantId).admin)
      const s = await seed(api, tenantId)
      await api.defineAttribute({ key: "contract", label: "Contract", type: "text", target: "contact" })
      await api.defineAttribute({ key: "tier", label: "Tier", type: "enum", target: "contact", options: ["Gold", "Silver"] })
      await api.defineAttribute({ key: "order_ref", label: "Order", type: "text", target: "conversation" })
      await api.defineAttribute({ key: "vip", label: "VIP", type: "boolean", target: "conversation" })
      const contract = `contract-${tenantId}`
      const order = `order-${tenantId}`
      await api.setAttributes({ subject: { kind: "contact", id: s.contact.id }, values: { contract, tier: "Gold" } })
      const [first] = s.conversations
      await api.setAttributes({ subject: { kind: "conversation", id: first!.id }, values: { order_ref: order, vip: true } })

      const erasure = await api.eraseContact({ contactId: s.contact.id, reason: "Erasure request" })
      expect(erasure.attributeValues).toBe(2)
      expect((await api.getAttributes({ subject: { kind: "contact", id: s.contact.id } })).values).toEqual({ tier: "Gold" })
      expect((await api.getAttributes({ subject: { kind: "conversation", id: first!.id } })).values).toEqual({ vip: true })
      const panel = JSON.stringify(await api.getDetails({ conversationId: first!.id }))
      for (const personal of [contract, order]) expect(panel).not.toContain(personal)
      // The identities are free again: no one is found by them, and another contact may take them.
      expect((await api.findContacts({ phone: "+33612345678" })).items).toEqual([])
      const heir = await api.createContact({ fullName: "Number Heir", primaryPhone: "+33612345678" })
      expect((await api.findContacts({ phone: "+33612345678" })).items.map((c) => c.id)).toEqual([heir.id])
    } finally {
      await rmc.dispose()
    }
  })

  it("refuse every write that would add personal data about an erased contact, and let its conversations go on", async () => {
    const rmc = session()
    try {
      const tenantId = newTenant()
      const { agent, supervisor, admin } = principals(tenantId)
      const api = rmc.as(admin)
      const s = await seed(api, tenantId)
      await expect(rmc.as(agent).eraseContact({ contactId: s.contact.id, reason: "no" })).rejects.toMatchObject({ code: "forbidden" })
      await expect(rmc.as(supervisor).exportContact({ contactId: s.contact.id })).rejects.toMatchObject({ code: "forbidden" })
      await expect(api.eraseContact({ contactId: s.contact.id, reason: "stale", expectedVersion: s.contact.version - 1 })).rejects.toMatchObject({
        code: "version_conflict",
      })
      await expect(api.eraseContact({ contactId: crypto.randomUUID(), reason: "unknown" })).rejects.toMatchObject({ code: "not_found" })
      await expect(api.eraseContact({ contactId: s.contact.id, reason: "   " })).rejects.toMatchObject({ code: "validation_failed" })
      const erasure = await api.eraseContact({ contactId: s.contact.id, reason: "Asked by the customer" })

      const agentApi = rmc.as(agent)
      const erased = { code: "contact_erased", contactId: s.contact.id, erasedAt: erasure.erasedAt }
      const [first] = s.conversations
      await expect(agentApi.updateContact({ contactId: s.contact.id, fullName: "Back again" })).rejects.toMatchObject(erased)
      await expect(agentApi.transformContact({ contactId: s.contact.id, to: "Client" })).rejects.toMatchObject(erased)
      await expect(agentApi.openConversation({ contactId: s.contact.id, channel: "sms" })).rejects.toMatchObject(erased)
      await expect(agentApi.addNote({ subject: { kind: "contact", id: s.contact.id }, body: "new" })).rejects.toMatchObject(erased)
      await expect(agentApi.addNote({ subject: { kind: "conversation", id: first!.id }, body: "new" })).rejects.toMatchObject(erased)
      await expect(api.editNote({ noteId: s.notes.onConversation.id, body: "again" })).rejects.toMatchObject(erased)
      await expect(agentApi.callContact({ conversationId: first!.id, idempotencyKey: `again-${tenantId}` })).rejects.toMatchObject(erased)
      await expect(api.eraseContact({ contactId: s.contact.id, reason: "twice" })).rejects.toMatchObject(erased)
      // The conversation itself holds no personal data: its work goes on.
      expect(await agentApi.setConversationStatus({ conversationId: first!.id, status: "resolved" })).toMatchObject({ status: "resolved" })
      // A retried creation answers the erased record, never the data it was created with.
      const request = { fullName: `Retried ${tenantId}`, type: "Lead", idempotencyKey: `create-${tenantId}` }
      const created = await agentApi.createContact(request)
      await api.eraseContact({ contactId: created.id, reason: "Asked by the customer" })
      expect(await agentApi.createContact(request)).toMatchObject({ id: created.id, fullName: erasedMarker })
    } finally {
      await rmc.dispose()
    }
  })

  it("write no note about a contact while it is being erased, nor after: each racing note is erased or refused", async () => {
    const rmc = session()
    try {
      const tenantId = newTenant()
      const { agent, admin } = principals(tenantId)
      const api = rmc.as(admin)
      const contact = await api.createContact({ fullName: "Racing Contact", type: "Lead" })
      const conversation = await api.openConversation({ contactId: contact.id, channel: "sms" })
      const secret = (n: number) => `racing-secret-${tenantId}-${n}`
      const notes = Array.from({ length: 12 }, (_, n) =>
        rmc.as(agent).addNote({ subject: n % 2 === 0 ? { kind: "contact", id: contact.id } : { kind: "conversation", id: conversation.id }, body: secret(n) }),
      )
      const erasure = api.eraseContact({ contactId: contact.id, reason: "Asked by the customer" })
      const settled = await Promise.allSettled([...notes, erasure])
      expect(settled.at(-1)!.status).toBe("fulfilled")
      for (const outcome of settled.slice(0, -1)) {
        if (outcome.status === "rejected") expect(outcome.reason).toMatchObject({ code: "contact_erased" })
      }
      const exported = await allExported(api, contact.id, 500)
      const written = settled.slice(0, -1).filter((outcome) => outcome.status === "fulfilled").length
      expect(exported.records.filter((r) => r.kind === "note")).toHaveLength(written)
      const text = JSON.stringify(exported.records)
      for (let n = 0; n < 12; n++) expect(text).not.toContain(secret(n))
    } finally {
      await rmc.dispose()
    }
  })

  it("export every record of a contact once, in order, whatever the page size, as pages and as streams", async () => {
    const rmc = session()
    try {
      const tenantId = newTenant()
      const { admin } = principals(tenantId)
      const api = rmc.as(admin)
      const s = await seed(api, tenantId)
      const whole = await allExported(api, s.contact.id, 500)
      const kinds = whole.records.map((r) => r.kind)
      expect(kinds[0]).toBe("contact")
      const order = ["contact", "conversation", "note", "activity", "call"]
      expect(kinds).toEqual([...kinds].sort((a, b) => order.indexOf(a) - order.indexOf(b)))
      expect(kinds.filter((k) => k === "conversation")).toHaveLength(2)
      // Every note, the deleted one too, with its earlier bodies.
      const notes = whole.records.flatMap((r) => (r.kind === "note" ? [r.note] : []))
      expect(notes.map((n) => n.id).sort()).toEqual([s.notes.onContact.id, s.notes.onConversation.id, s.notes.deleted.id].sort())
      expect(notes.find((n) => n.id === s.notes.onContact.id)!.revisions).toHaveLength(1)
      expect(notes.find((n) => n.id === s.notes.deleted.id)!.deletedAt).not.toBeNull()
      expect(whole.records.filter((r) => r.kind === "call")).toHaveLength(1)
      // Nothing of the other contact.
      expect(JSON.stringify(whole.records)).not.toContain(s.other.contact.id)

      for (const size of [1, 2, 3, 7]) {
        const paged = await allExported(api, s.contact.id, size)
        expect(paged.records).toEqual(whole.records)
        expect(Math.max(...paged.pages)).toBeLessThanOrEqual(size)
      }
      const streamed: Array<ContactExportRecord> = []
      for await (const record of exportContactRecords(api, { contactId: s.contact.id, pageSize: 4 })) streamed.push(record)
      expect(streamed).toEqual(whole.records)
      const layer = rmcLayer({ storage: Layer.succeed(Storage, storage()) })
      const viaEffect = await Effect.runPromise(
        Effect.provide(Stream.runCollect(exportContactStream(admin, { contactId: s.contact.id, pageSize: 5 })), layer) as Effect.Effect<
          ReadonlyArray<ContactExportRecord>,
          unknown
        >,
      )
      expect([...viaEffect]).toEqual(whole.records)
      await expect(api.exportContact({ contactId: s.contact.id, cursor: "bm90IGEgY3Vyc29y" })).rejects.toMatchObject({ code: "validation_failed" })
      await expect(api.exportContact({ contactId: crypto.randomUUID() })).rejects.toMatchObject({ code: "not_found" })
    } finally {
      await rmc.dispose()
    }
  })

  it("erase the contact's events set aside as webhook dead letters, and nothing else", async () => {
    const rmc = session()
    try {
      const tenantId = newTenant()
      const { admin } = principals(tenantId)
      const api = rmc.as(admin)
      const s = await seed(api, tenantId)
      const events = await api.contactActivity({ contactId: s.contact.id, limit: 100 })
      const otherEvents = await api.contactActivity({ contactId: s.other.contact.id, limit: 100 })
      const subscriptionId = crypto.randomUUID()
      const letter = (event: (typeof events.items)[number]) => ({
        id: crypto.randomUUID(),
        tenantId,
        subscriptionId,
        eventId: event.id,
        eventType: event.type,
        attempts: 3,
        lastError: "HTTP 500",
        deadLetteredAt: event.at,
        event,
      })
      const created = events.items.find((e) => e.type === "contact.created")!
      const kept = otherEvents.items.find((e) => e.type === "contact.created")!
      const [mine, theirs] = [letter(created), letter(kept)]
      await run(storage().transaction((r) => Effect.andThen(r.webhooks.putDeadLetter(mine), r.webhooks.putDeadLetter(theirs))))
      const erasure = await api.eraseContact({ contactId: s.contact.id, reason: "Asked by the customer" })
      expect(erasure.deadLetters).toBe(1)
      const [after, other] = await run(
        storage().query((r) => Effect.all([r.webhooks.getDeadLetter(tenantId, mine.id), r.webhooks.getDeadLetter(tenantId, theirs.id)])),
      )
      expect(after!.event).toEqual({ ...created, after: erasedValues })
      expect(other).toEqual(theirs)
    } finally {
      await rmc.dispose()
    }
  })

  it("purge notes and event values past the tenant's retention, in bounded batches, and nothing more", async () => {
    const rmc = session()
    try {
      const tenantId = newTenant()
      const keeper = newTenant()
      const { admin } = principals(tenantId)
      const api = rmc.as(admin)
      const s = await seed(api, tenantId)
      const kept = await seed(rmc.as(principals(keeper).admin), keeper)
      await rmc.as(principals(keeper).admin).configureTenant({ retention: { notesDays: null } })
      expect(await rmc.purgeExpired({ tenantId })).toEqual({ tenants: 0, notes: 0, events: 0 })
      const settings = await api.configureTenant({ retention: { notesDays: 30 } })
      expect(settings.retention).toEqual({ notesDays: 30, activityDays: null })
      // Nothing is old enough yet.
      expect(await rmc.purgeExpired({ tenantId })).toEqual({ tenants: 1, notes: 0, events: 0 })
      const later = new Date(Date.now() + 31 * 86_400_000).toISOString()
      // Four notes of the tenant (three about the contact, one about the other), two per transaction.
      expect(await rmc.purgeExpired({ tenantId, now: later, batchSize: 2 })).toEqual({ tenants: 1, notes: 4, events: 0 })
      expect(await rmc.as(admin).getNote({ noteId: s.notes.onContact.id })).toMatchObject({ body: erasedMarker, revisions: [{ body: erasedMarker }] })
      // The bodies the notes' events carried went with them; the other events keep their values.
      const events = (await api.contactActivity({ contactId: s.contact.id, limit: 100 })).items
      for (const event of events.filter((e) => e.type.startsWith("note."))) expect(JSON.stringify([event.before, event.after])).not.toContain("note body")
      expect(events.find((e) => e.type === "contact.created")!.after).toMatchObject({ type: "Lead" })
      expect(await rmc.purgeExpired({ tenantId, now: later, batchSize: 2 })).toEqual({ tenants: 1, notes: 0, events: 0 })

      await api.configureTenant({ retention: { activityDays: 30 } })
      const purged = await rmc.purgeExpired({ now: later, batchSize: 3 })
      expect(purged.events).toBeGreaterThanOrEqual(10)
      expect(purged.notes).toBe(0)
      const activity = await api.contactActivity({ contactId: s.contact.id, limit: 100 })
      for (const event of activity.items) {
        for (const values of [event.before, event.after]) expect(values === null || JSON.stringify(values) === JSON.stringify(erasedValues)).toBe(true)
      }
      // The retention of one tenant is no other's.
      expect((await rmc.as(principals(keeper).admin).getNote({ noteId: kept.notes.onContact.id })).body).not.toBe(erasedMarker)
      await expect(rmc.purgeExpired({ batchSize: 0 })).rejects.toMatchObject({ code: "validation_failed" })
    } finally {
      await rmc.dispose()
    }
  })
}
