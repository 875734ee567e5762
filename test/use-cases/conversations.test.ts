import { describe, expect, it } from "vitest"
import { contactWithConversation, fixture } from "./fixture"

describe("conversations", () => {
  it("list the contact's conversations on every channel, most recent activity first, page by page", async () => {
    const f = fixture()
    const contact = await f.alice.createContact({ fullName: "Camille Martin", primaryPhone: "0612345678" })
    const channels = ["whatsapp", "email", "webchat", "sms", "messenger"] as const
    const opened = []
    for (const channel of channels) opened.push(await f.alice.openConversation({ contactId: contact.id, channel }))
    // a message on the oldest conversation makes it the most recent
    await f.alice.recordConversationActivity({ conversationId: opened[0]!.id })
    const first = await f.alice.listContactConversations({ contactId: contact.id, limit: 2 })
    expect(first.items.map((c) => c.channel)).toEqual(["whatsapp", "messenger"])
    expect(first.nextCursor).not.toBeNull()
    const second = await f.alice.listContactConversations({ contactId: contact.id, limit: 2, cursor: first.nextCursor! })
    expect(second.items.map((c) => c.channel)).toEqual(["sms", "webchat"])
    const third = await f.alice.listContactConversations({ contactId: contact.id, limit: 2, cursor: second.nextCursor! })
    expect(third).toMatchObject({ items: [{ channel: "email" }], nextCursor: null })
    expect((await f.alice.getContact({ contactId: contact.id })).lastActivityAt > contact.lastActivityAt).toBe(true)
    await expect(f.alice.listContactConversations({ contactId: contact.id, cursor: "garbage!" })).rejects.toMatchObject({ code: "validation_failed" })
  })

  it("never move their last activity back when messages arrive out of order", async () => {
    const f = fixture()
    const { conversation } = await contactWithConversation(f)
    // Messages are stamped by the router up to the next day; the clock must have reached it.
    f.clock.jump(2 * 24 * 60 * 60_000)
    const later = await f.alice.recordConversationActivity({ conversationId: conversation.id, at: "2026-03-02T10:00:00+01:00" })
    expect(later.lastActivityAt).toBe("2026-03-02T09:00:00.000Z")
    const late = await f.alice.recordConversationActivity({ conversationId: conversation.id, at: "2026-03-01T12:00:00Z" })
    expect(late).toEqual(later)
  })

  it("change status, and a repeated status changes nothing", async () => {
    const f = fixture()
    const { conversation } = await contactWithConversation(f)
    const resolved = await f.alice.setConversationStatus({ conversationId: conversation.id, status: "resolved", expectedVersion: 1 })
    expect(resolved).toMatchObject({ status: "resolved", version: 2 })
    expect(await f.alice.setConversationStatus({ conversationId: conversation.id, status: "resolved" })).toEqual(resolved)
    await expect(f.alice.setConversationStatus({ conversationId: conversation.id, status: "open", expectedVersion: 1 })).rejects.toMatchObject({
      code: "version_conflict",
    })
  })

  it("are assigned to a live department, changed or cleared; an archived one stays where it is", async () => {
    const f = fixture()
    const { conversation } = await contactWithConversation(f)
    const sales = await f.sam.createDepartment({ name: "Sales" })
    const support = await f.sam.createDepartment({ name: "Support" })
    expect((await f.alice.assignDepartment({ conversationId: conversation.id, departmentId: sales.id })).departmentId).toBe(sales.id)
    await f.sam.archiveDepartment({ departmentId: sales.id })
    expect((await f.alice.getConversation({ conversationId: conversation.id })).departmentId).toBe(sales.id)
    const other = await f.alice.openConversation({ contactId: conversation.contactId, channel: "sms" })
    await expect(f.alice.assignDepartment({ conversationId: other.id, departmentId: sales.id })).rejects.toMatchObject({ code: "archived" })
    expect((await f.alice.assignDepartment({ conversationId: conversation.id, departmentId: support.id })).departmentId).toBe(support.id)
    expect((await f.alice.assignDepartment({ conversationId: conversation.id, departmentId: null })).departmentId).toBeNull()
    const log = await f.alice.conversationActivity({ conversationId: conversation.id })
    expect(log.items.filter((e) => e.type === "conversation.department_changed").map((e) => e.after)).toEqual([
      { departmentId: null },
      { departmentId: support.id },
      { departmentId: sales.id },
    ])
  })

  it("are transferred to another agent and department", async () => {
    const f = fixture()
    const { conversation } = await contactWithConversation(f)
    const voip = await f.sam.createDepartment({ name: "VoIP" })
    const moved = await f.alice.transferConversation({ conversationId: conversation.id, toAgentId: "bob", toDepartmentId: voip.id })
    expect(moved).toMatchObject({ assigneeId: "bob", departmentId: voip.id, version: 2 })
    expect(moved.assignedAt! > conversation.assignedAt!).toBe(true)
  })

  it("follow the note-before-transfer policy, all or nothing", async () => {
    const f = fixture()
    await f.root.configureTenant({ policies: { noteBeforeTransfer: true } })
    const { conversation } = await contactWithConversation(f)
    const hr = await f.sam.createDepartment({ name: "HR" })
    await expect(f.alice.transferConversation({ conversationId: conversation.id, toAgentId: "bob" })).rejects.toMatchObject({
      code: "policy_violation",
      policy: "note_before_transfer",
    })
    // a transfer that fails after its note was prepared keeps neither
    await f.sam.archiveDepartment({ departmentId: hr.id })
    await expect(f.alice.transferConversation({ conversationId: conversation.id, toDepartmentId: hr.id, note: "For HR" })).rejects.toMatchObject({
      code: "archived",
    })
    expect((await f.alice.listNotes({ subject: { kind: "conversation", id: conversation.id } })).items).toEqual([])
    expect(await f.alice.getConversation({ conversationId: conversation.id })).toEqual(conversation)

    const withNote = await f.alice.transferConversation({ conversationId: conversation.id, toAgentId: "bob", note: "Wants 20 lines" })
    expect(withNote.assigneeId).toBe("bob")
    expect((await f.alice.listNotes({ subject: { kind: "conversation", id: conversation.id } })).items.map((n) => n.body)).toEqual(["Wants 20 lines"])
    // bob needs his own note, written since he was assigned
    await expect(f.bob.transferConversation({ conversationId: conversation.id, toAgentId: "alice" })).rejects.toMatchObject({ code: "policy_violation" })
    await f.bob.addNote({ subject: { kind: "conversation", id: conversation.id }, body: "Quote sent" })
    expect((await f.bob.transferConversation({ conversationId: conversation.id, toAgentId: "alice" })).assigneeId).toBe("alice")
  })

  it("follow the note-before-department-change policy when the tenant turns it on", async () => {
    const f = fixture()
    const { conversation } = await contactWithConversation(f)
    const sales = await f.sam.createDepartment({ name: "Sales" })
    const support = await f.sam.createDepartment({ name: "Support" })
    // Off by default, and the transfer policy alone does not cover department changes.
    await f.root.configureTenant({ policies: { noteBeforeTransfer: true } })
    const inSales = await f.alice.assignDepartment({ conversationId: conversation.id, departmentId: sales.id })
    await f.root.configureTenant({ policies: { noteBeforeDepartmentChange: true } })
    expect((await f.alice.getSettings({})).policies).toEqual({ noteBeforeTransfer: true, noteBeforeDepartmentChange: true })
    for (const departmentId of [support.id, null]) {
      await expect(f.alice.assignDepartment({ conversationId: conversation.id, departmentId })).rejects.toMatchObject({
        code: "policy_violation",
        policy: "note_before_department_change",
      })
    }
    // Refused changes left the conversation as it was; the department it already has needs nothing.
    expect(await f.alice.getConversation({ conversationId: conversation.id })).toEqual(inSales)
    expect(await f.alice.assignDepartment({ conversationId: conversation.id, departmentId: sales.id })).toEqual(inSales)
    expect((await f.alice.getDetails({ conversationId: conversation.id })).actions.find((a) => a.name === "assign_department")).toMatchObject({
      enabled: false,
      reason: { code: "policy" },
    })
    // Another agent's note does not count; alice's own does.
    await f.bob.addNote({ subject: { kind: "conversation", id: conversation.id }, body: "Seen by bob" })
    await expect(f.alice.assignDepartment({ conversationId: conversation.id, departmentId: support.id })).rejects.toMatchObject({ code: "policy_violation" })
    await f.alice.addNote({ subject: { kind: "conversation", id: conversation.id }, body: "Needs support, not sales" })
    expect((await f.alice.assignDepartment({ conversationId: conversation.id, departmentId: support.id })).departmentId).toBe(support.id)
  })

  it("show the customer only what is theirs, never a note", async () => {
    const f = fixture()
    const { conversation } = await contactWithConversation(f)
    await f.alice.addNote({ subject: { kind: "conversation", id: conversation.id }, body: "Difficult customer" })
    const view = await f.alice.getCustomerView({ conversationId: conversation.id })
    expect(view).toEqual({
      id: conversation.id,
      channel: "whatsapp",
      status: "open",
      createdAt: conversation.createdAt,
      lastActivityAt: conversation.lastActivityAt,
    })
    expect(JSON.stringify(view)).not.toContain("Difficult")
  })
})
