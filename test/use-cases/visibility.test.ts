import { describe, expect, it } from "vitest"
import { contactWithConversation, fixture } from "./fixture"

describe("visibility rules", () => {
  it("author and supervisors: an agent reads only its own notes, in the panel, the lists and one by one", async () => {
    const f = fixture()
    const { contact, conversation } = await contactWithConversation(f)
    await f.root.configureTenant({ visibility: { notes: "author_and_supervisors" } })
    const onContact = await f.alice.addNote({ subject: { kind: "contact", id: contact.id }, body: "Alice on the contact" })
    const onConversation = await f.alice.addNote({ subject: { kind: "conversation", id: conversation.id }, body: "Alice on the conversation" })
    const bobs = await f.bob.addNote({ subject: { kind: "conversation", id: conversation.id }, body: "Bob on the conversation" })

    const panel = await f.bob.getDetails({ conversationId: conversation.id })
    expect(panel.notes.contact.items).toEqual([])
    expect(panel.notes.conversation.items).toEqual([bobs])
    expect((await f.bob.listNotes({ subject: { kind: "conversation", id: conversation.id } })).items).toEqual([bobs])
    await expect(f.bob.getNote({ noteId: onContact.id })).rejects.toMatchObject({ code: "not_found" })
    expect(await f.alice.getNote({ noteId: onConversation.id })).toEqual(onConversation)
    // Supervisors read every note.
    expect((await f.sam.getDetails({ conversationId: conversation.id })).notes.conversation.items).toEqual([bobs, onConversation])
    expect((await f.root.getSettings({})).visibility).toEqual({ notes: "author_and_supervisors", history: "all_agents" })
  })

  it("department: a conversation out of an agent's reach does not exist for it, and its notes are the author's", async () => {
    const f = fixture()
    const { contact, conversation } = await contactWithConversation(f)
    const sales = await f.sam.createDepartment({ name: "Sales" })
    const support = await f.sam.createDepartment({ name: "Support" })
    await f.root.configureTenant({ visibility: { notes: "department", history: "department" } })
    await f.sam.transferConversation({ conversationId: conversation.id, toAgentId: "sam", toDepartmentId: sales.id })
    const note = await f.sam.addNote({ subject: { kind: "conversation", id: conversation.id }, body: "Discount agreed" })
    const shared = await f.sam.openConversation({ contactId: contact.id, channel: "email" })

    const seller = f.rmc.as({ tenantId: "acme", agentId: "sara", role: "agent", departmentIds: [sales.id] })
    const helper = f.rmc.as({ tenantId: "acme", agentId: "hugo", role: "agent", departmentIds: [support.id] })

    expect((await seller.getDetails({ conversationId: conversation.id })).notes.conversation.items).toEqual([note])
    expect(await seller.getNote({ noteId: note.id })).toEqual(note)
    for (const read of [
      helper.getConversation({ conversationId: conversation.id }),
      helper.getDetails({ conversationId: conversation.id }),
      helper.conversationActivity({ conversationId: conversation.id }),
      helper.listNotes({ subject: { kind: "conversation", id: conversation.id } }),
      helper.getNote({ noteId: note.id }),
    ]) {
      await expect(read).rejects.toMatchObject({ code: "not_found" })
    }
    expect((await helper.listContactConversations({ contactId: contact.id })).items.map((c) => c.id)).toEqual([shared.id])
    expect((await helper.searchConversations({ filter: { contactId: contact.id } })).items.map((c) => c.id)).toEqual([shared.id])
    expect((await helper.getDetails({ conversationId: shared.id })).conversations.items.map((c) => c.id)).toEqual([shared.id])
    const activity = await helper.contactActivity({ contactId: contact.id, limit: 100 })
    expect(activity.items.every((event) => event.conversationId === null || event.conversationId === shared.id)).toBe(true)
    expect((await seller.listContactConversations({ contactId: contact.id })).items).toHaveLength(2)
  })

  it("the activity log names notes without their text, and agents get no earlier revisions", async () => {
    const f = fixture()
    const { conversation } = await contactWithConversation(f)
    const note = await f.alice.addNote({ subject: { kind: "conversation", id: conversation.id }, body: "First words" })
    const edited = await f.alice.editNote({ noteId: note.id, body: "Second words" })
    expect(edited.revisions.map((r) => r.body)).toEqual(["First words"])
    expect((await f.bob.getNote({ noteId: note.id })).revisions).toEqual([])
    expect((await f.bob.listNotes({ subject: { kind: "conversation", id: conversation.id } })).items[0]).toMatchObject({ body: "Second words", revisions: [] })
    expect((await f.sam.getNote({ noteId: note.id })).revisions.map((r) => r.body)).toEqual(["First words"])
    for (const reader of [f.bob, f.sam]) {
      const log = await reader.conversationActivity({ conversationId: conversation.id })
      expect(log.items.filter((e) => e.subjectId === note.id).map((e) => e.type)).toEqual(["note.edited", "note.added"])
      expect(JSON.stringify(log)).not.toMatch(/First words|Second words/)
    }
  })
})
