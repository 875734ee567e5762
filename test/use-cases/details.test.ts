import { describe, expect, it } from "vitest"
import { contactWithConversation, fixture } from "./fixture"

describe("the details panel", () => {
  it("returns everything in one call", async () => {
    const f = fixture()
    const { contact, conversation } = await contactWithConversation(f)
    const support = await f.sam.createDepartment({ name: "Support" })
    await f.alice.assignDepartment({ conversationId: conversation.id, departmentId: support.id })
    const contactNote = await f.alice.addNote({ subject: { kind: "contact", id: contact.id }, body: "Prefers mornings" })
    const conversationNote = await f.alice.addNote({ subject: { kind: "conversation", id: conversation.id }, body: "Line down since Monday" })
    const keyword = await f.sam.createKeyword({ name: "Fibre" })
    await f.alice.attachKeyword({ conversationId: conversation.id, keywordId: keyword.id })
    const label = await f.alice.createLabel({ name: "Incident en cours", color: "#f59e0b", applyTo: conversation.id })
    await f.alice.callContact({ conversationId: conversation.id, idempotencyKey: "c1" })
    for (let i = 0; i < 12; i++) await f.alice.openConversation({ contactId: contact.id, channel: i % 2 === 0 ? "email" : "sms" })

    const details = await f.alice.getDetails({ conversationId: conversation.id, historyLimit: 5 })
    expect(details.contact).toMatchObject({ id: contact.id, fullName: "Camille Martin", type: "Lead", primaryPhone: "+33612345678" })
    expect(details.conversation.id).toBe(conversation.id)
    expect(details.department).toEqual(support)
    expect(details.notes).toEqual({
      contact: { items: [contactNote], nextCursor: null },
      conversation: { items: [conversationNote], nextCursor: null },
    })
    expect(details.keywords).toEqual([keyword])
    expect(details.labels).toEqual([label])
    expect(details.recentCalls).toHaveLength(1)
    expect(details.conversations.items).toHaveLength(5)
    expect(details.conversations.nextCursor).not.toBeNull()
    const rest = await f.alice.listContactConversations({ contactId: contact.id, limit: 20, cursor: details.conversations.nextCursor! })
    expect(rest.items).toHaveLength(8)
    const actions = Object.fromEntries(details.actions.map((a) => [a.name, a]))
    expect(actions.call).toMatchObject({ enabled: true, targets: ["+33612345678"] })
    expect(actions.transform).toMatchObject({ enabled: true, targets: ["Prospect", "Client"] })
    expect(actions.manage_keywords).toMatchObject({ enabled: false, reason: { code: "forbidden" } })
  })

  it("carries a first page of each subject's notes, and listNotes reads on from its cursor", async () => {
    const f = fixture()
    const { contact, conversation } = await contactWithConversation(f)
    const subject = { kind: "contact" as const, id: contact.id }
    const added = []
    for (let i = 0; i < 7; i++) added.push(await f.alice.addNote({ subject, body: `note ${i}` }))
    const details = await f.alice.getDetails({ conversationId: conversation.id, notesLimit: 3 })
    expect(details.notes.conversation).toEqual({ items: [], nextCursor: null })
    const pages = [details.notes.contact]
    while (pages.at(-1)!.nextCursor !== null) pages.push(await f.alice.listNotes({ subject, limit: 3, cursor: pages.at(-1)!.nextCursor! }))
    expect(pages.map((p) => p.items.length)).toEqual([3, 3, 1])
    expect(pages.flatMap((p) => p.items)).toEqual((await f.alice.listNotes({ subject, limit: 100 })).items)
    expect(pages.flatMap((p) => p.items.map((n) => n.body))).toEqual(added.map((n) => n.body).reverse())
    await expect(f.alice.getDetails({ conversationId: conversation.id, notesLimit: 101 })).rejects.toMatchObject({ code: "validation_failed" })
  })

  it("enables the transfer for an agent whose note is past the first page of notes", async () => {
    const f = fixture()
    const { conversation } = await contactWithConversation(f)
    await f.root.configureTenant({ policies: { noteBeforeTransfer: true } })
    const subject = { kind: "conversation" as const, id: conversation.id }
    await f.alice.addNote({ subject, body: "Context for whoever takes over" })
    for (let i = 0; i < 3; i++) await f.bob.addNote({ subject, body: `bob ${i}` })
    const transfer = async (api: typeof f.alice) =>
      (await api.getDetails({ conversationId: conversation.id, notesLimit: 1 })).actions.find((a) => a.name === "transfer")
    expect(await transfer(f.alice)).toMatchObject({ enabled: true })
    expect(await transfer(f.sam)).toMatchObject({ enabled: false, reason: { code: "policy" } })
  })

  it("is never another tenant's", async () => {
    const f = fixture()
    const { contact, conversation } = await contactWithConversation(f)
    await expect(f.eve.getDetails({ conversationId: conversation.id })).rejects.toMatchObject({ code: "not_found" })
    await expect(f.eve.getContact({ contactId: contact.id })).rejects.toMatchObject({ code: "not_found" })
    await expect(f.eve.addNote({ subject: { kind: "contact", id: contact.id }, body: "x" })).rejects.toMatchObject({ code: "not_found" })
    await expect(f.eve.setConversationStatus({ conversationId: conversation.id, status: "resolved" })).rejects.toMatchObject({ code: "not_found" })
    expect((await f.eve.searchConversations({})).items).toEqual([])
    expect((await f.alice.getConversation({ conversationId: conversation.id })).status).toBe("open")
  })
})

describe("search and reports", () => {
  it("filter conversations by keywords, labels, department, channel, status, contact type and dates", async () => {
    const f = fixture()
    const lead = await f.alice.createContact({ fullName: "Lead", type: "Lead" })
    const client = await f.alice.createContact({ fullName: "Client", type: "Client" })
    const sales = await f.sam.createDepartment({ name: "Sales" })
    const fibre = await f.sam.createKeyword({ name: "Fibre" })
    const price = await f.sam.createKeyword({ name: "Prix" })
    const hot = await f.alice.createLabel({ name: "Hot", color: "#ff0000" })
    const a = await f.alice.openConversation({ contactId: lead.id, channel: "whatsapp", departmentId: sales.id })
    const b = await f.alice.openConversation({ contactId: lead.id, channel: "email" })
    f.clock.jump(86_400_000)
    const c = await f.alice.openConversation({ contactId: client.id, channel: "whatsapp", departmentId: sales.id })
    await f.alice.attachKeyword({ conversationId: a.id, keywordId: fibre.id })
    await f.alice.attachKeyword({ conversationId: a.id, keywordId: price.id })
    await f.alice.attachKeyword({ conversationId: b.id, keywordId: fibre.id })
    await f.alice.attachKeyword({ conversationId: c.id, keywordId: price.id })
    await f.alice.applyLabel({ conversationId: a.id, labelId: hot.id })
    await f.alice.setConversationStatus({ conversationId: b.id, status: "resolved" })

    const ids = async (filter: Parameters<typeof f.alice.searchConversations>[0]["filter"]) =>
      (await f.alice.searchConversations({ filter })).items.map((s) => s.id).sort()
    expect(await ids({ keywords: { anyOf: [fibre.id, price.id] } })).toEqual([a.id, b.id, c.id].sort())
    expect(await ids({ keywords: { allOf: [fibre.id, price.id] } })).toEqual([a.id])
    expect(await ids({ labels: { anyOf: [hot.id] } })).toEqual([a.id])
    expect(await ids({ departmentIds: [sales.id] })).toEqual([a.id, c.id].sort())
    expect(await ids({ channels: ["email"] })).toEqual([b.id])
    expect(await ids({ status: ["resolved"] })).toEqual([b.id])
    expect(await ids({ contactTypes: ["Client"] })).toEqual([c.id])
    expect(await ids({ to: "2026-03-02T00:00:00Z" })).toEqual([a.id, b.id].sort())
    expect(await ids({ from: "2026-03-02T00:00:00+00:00" })).toEqual([c.id])
    const summary = (await f.alice.searchConversations({ filter: { labels: { anyOf: [hot.id] } } })).items[0]
    expect(summary).toMatchObject({ departmentName: "Sales", labels: [{ id: hot.id, name: "Hot", color: "#ff0000" }] })

    const byDepartment = await f.sam.volumeReport({ dimension: "department", from: "2026-03-01T00:00:00Z", to: "2026-04-01T00:00:00Z" })
    expect(byDepartment).toEqual([
      { key: sales.id, name: "Sales", count: 2 },
      { key: null, name: null, count: 1 },
    ])
    const byKeyword = await f.sam.volumeReport({ dimension: "keyword", from: "2026-03-01T00:00:00Z", to: "2026-03-02T00:00:00Z" })
    expect(byKeyword.map((r) => [r.name, r.count])).toEqual([
      ["Fibre", 2],
      ["Prix", 1],
    ])
    await expect(f.sam.volumeReport({ dimension: "channel", from: "2026-04-01T00:00:00Z", to: "2026-03-01T00:00:00Z" })).rejects.toMatchObject({
      code: "validation_failed",
    })
  })
})
