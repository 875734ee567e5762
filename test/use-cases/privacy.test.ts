import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { ContactExportRecord } from "../../src/domain/privacy/contact-export"
import { erasedMarker } from "../../src/domain/privacy/erasure"
import { exportContactRecords } from "../../src/facade/export-contact-records"
import type { RmcApi } from "../../src/use-cases/catalog"
import { type Fixture, fixture, transport } from "./fixture"

// Over HTTP every run starts a server: fewer runs there.
const numRuns = Math.max(3, Math.round(Number(process.env.RMC_NUM_RUNS ?? 25) / (transport.kind === "memory" ? 1 : 5)))

// A personal string no id, time, marker or fixed text of the SDK contains: ids and times are hex
// digits, dashes and colons; "Pz" never appears in them.
const token = fc.stringMatching(/^[a-z]{6,10}$/).map((s) => `Pz${s}`)
const phones = ["+33612345678", "+33698765432", "+14155550123", "+442071838750"]

const scenario = fc.record({
  fullName: token,
  renamed: fc.option(token, { nil: undefined }),
  email: token.map((s) => `${s.toLowerCase()}@example.com`),
  phone: fc.constantFrom(...phones),
  handle: token,
  conversations: fc.integer({ min: 1, max: 3 }),
  notes: fc.array(
    fc.record({
      on: fc.integer({ min: 0, max: 3 }),
      body: token,
      edits: fc.array(token, { maxLength: 2 }),
      deleted: fc.boolean(),
    }),
    { minLength: 1, maxLength: 6 },
  ),
  called: fc.boolean(),
  // Another contact's note: "Bz", so that no personal string of the erased contact is part of it.
  bystanderNote: fc.stringMatching(/^[a-z]{6,10}$/).map((s) => `Bz${s}`),
})

/** Every read an agent or an admin has of the contact and its conversations, and the outbox. */
const everyRead = async (f: Fixture, contactId: string, conversationIds: ReadonlyArray<string>, noteIds: ReadonlyArray<string>) => {
  const reads: Array<unknown> = [
    await f.alice.getContact({ contactId }),
    await f.alice.listContactConversations({ contactId }),
    await f.alice.contactActivity({ contactId, limit: 100 }),
    await f.alice.listNotes({ subject: { kind: "contact", id: contactId }, limit: 100 }),
    await f.alice.searchConversations({ filter: { contactId } }),
    await f.alice.searchConversations({ filter: {} }),
  ]
  for (const noteId of noteIds) reads.push(await f.root.getNote({ noteId }).catch((error: unknown) => error))
  for (const conversationId of conversationIds) {
    reads.push(await f.alice.getDetails({ conversationId }))
    reads.push(await f.alice.conversationActivity({ conversationId, limit: 100 }))
    reads.push(await f.alice.listNotes({ subject: { kind: "conversation", id: conversationId }, limit: 100 }))
    reads.push(await f.alice.listCalls({ conversationId }))
    reads.push(await f.alice.getCustomerView({ conversationId }))
  }
  const exported: Array<ContactExportRecord> = []
  for await (const record of exportContactRecords(f.root, { contactId, pageSize: 7 })) exported.push(record)
  reads.push(exported)
  reads.push(await f.rmc.readOutbox(0, 100_000))
  return JSON.stringify(reads)
}

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never

const build = async (f: Fixture, s: Scenario) => {
  const api: RmcApi = f.alice
  const contact = await api.createContact({
    fullName: s.fullName,
    type: "Lead",
    primaryPhone: s.phone,
    email: s.email,
    channelIdentities: [{ channel: "telegram", handle: `@${s.handle}` }],
    idempotencyKey: "create-the-contact",
  })
  if (s.renamed !== undefined) await api.updateContact({ contactId: contact.id, fullName: s.renamed })
  const conversations = []
  for (let i = 0; i < s.conversations; i++) conversations.push(await api.openConversation({ contactId: contact.id, channel: i % 2 === 0 ? "sms" : "whatsapp" }))
  const noteIds: Array<string> = []
  for (const spec of s.notes) {
    const target = conversations[spec.on % (conversations.length + 1)]
    const subject = target === undefined ? ({ kind: "contact", id: contact.id } as const) : ({ kind: "conversation", id: target.id } as const)
    let note = await api.addNote({ subject, body: spec.body })
    for (const body of spec.edits) note = await api.editNote({ noteId: note.id, body })
    if (spec.deleted) await api.deleteNote({ noteId: note.id })
    noteIds.push(note.id)
  }
  if (s.called) await api.callContact({ conversationId: conversations[0]!.id, idempotencyKey: `call-${contact.id}` })
  const bystander = await api.createContact({ fullName: "Bystander", type: "Lead" })
  await api.addNote({ subject: { kind: "contact", id: bystander.id }, body: s.bystanderNote })
  return { contact, conversations, noteIds }
}

const personalStrings = (s: Scenario) => [
  s.fullName,
  ...(s.renamed === undefined ? [] : [s.renamed]),
  s.email,
  s.phone,
  s.phone.slice(1),
  s.handle,
  ...s.notes.flatMap((n) => [n.body, ...n.edits]),
]

describe("erasing a contact", () => {
  it("leaves no personal string of the contact in any read, export or the outbox, and keeps the bystander's", async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const f = fixture()
        try {
          const { contact, conversations, noteIds } = await build(f, s)
          const ids = conversations.map((c) => c.id)
          const before = await everyRead(f, contact.id, ids, noteIds)
          expect(before).toContain(s.fullName)
          const volumes = await f.alice.volumeReport({ dimension: "channel", from: "2000-01-01T00:00:00Z", to: "2100-01-01T00:00:00Z" })

          const erasure = await f.root.eraseContact({ contactId: contact.id, reason: "Erasure request" })
          expect(erasure.notes).toBe(s.notes.length)
          const after = await everyRead(f, contact.id, ids, noteIds)
          for (const personal of personalStrings(s)) expect(after).not.toContain(personal)
          expect(after).toContain(s.bystanderNote)
          expect(after).toContain(erasedMarker)
          // A replayed creation answers the erased record.
          const replay = await f.alice.createContact({
            fullName: s.fullName,
            type: "Lead",
            primaryPhone: s.phone,
            email: s.email,
            channelIdentities: [{ channel: "telegram", handle: `@${s.handle}` }],
            idempotencyKey: "create-the-contact",
          })
          expect(replay).toMatchObject({ id: contact.id, fullName: erasedMarker })
          // Counts stay right.
          expect(await f.alice.volumeReport({ dimension: "channel", from: "2000-01-01T00:00:00Z", to: "2100-01-01T00:00:00Z" })).toEqual(volumes)
          expect((await f.alice.listContactConversations({ contactId: contact.id })).items).toHaveLength(conversations.length)
        } finally {
          await f.rmc.dispose()
        }
      }),
      { numRuns },
    )
  })

  it("answers a refused write with contact_erased, naming the contact and when it was erased", async () => {
    const f = fixture()
    const contact = await f.alice.createContact({ fullName: "Camille Martin", type: "Lead" })
    const erasure = await f.root.eraseContact({ contactId: contact.id, reason: "Asked by the customer" })
    await expect(f.alice.addNote({ subject: { kind: "contact", id: contact.id }, body: "hello" })).rejects.toMatchObject({
      code: "contact_erased",
      contactId: contact.id,
      erasedAt: erasure.erasedAt,
    })
    await expect(f.sam.eraseContact({ contactId: contact.id, reason: "again" })).rejects.toMatchObject({ code: "forbidden" })
  })
})
