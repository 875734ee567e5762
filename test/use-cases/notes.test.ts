import { describe, expect, it } from "vitest"
import { contactWithConversation, fixture } from "./fixture"

describe("notes", () => {
  it("are added to a contact or a conversation and listed newest first", async () => {
    const f = fixture()
    const { contact, conversation } = await contactWithConversation(f)
    const onContact = await f.alice.addNote({ subject: { kind: "contact", id: contact.id }, body: "Prefers e-mail" })
    const first = await f.alice.addNote({ subject: { kind: "conversation", id: conversation.id }, body: "Asked for a quote" })
    const second = await f.bob.addNote({ subject: { kind: "conversation", id: conversation.id }, body: "  Quote sent  " })
    expect(onContact).toMatchObject({ contactId: contact.id, authorId: "alice", revisions: [], version: 1 })
    expect(second.body).toBe("Quote sent")
    expect((await f.alice.listNotes({ subject: { kind: "conversation", id: conversation.id } })).items).toEqual([second, first])
    expect((await f.alice.listNotes({ subject: { kind: "contact", id: contact.id } })).items).toEqual([onContact])
    await expect(f.alice.addNote({ subject: { kind: "conversation", id: contact.id }, body: "x" })).rejects.toMatchObject({ code: "not_found" })
    await expect(f.alice.addNote({ subject: { kind: "contact", id: contact.id }, body: "x".repeat(5001) })).rejects.toMatchObject({ code: "validation_failed" })
  })

  it("keep every earlier revision with who replaced it and when", async () => {
    const f = fixture()
    const { contact } = await contactWithConversation(f)
    const note = await f.alice.addNote({ subject: { kind: "contact", id: contact.id }, body: "v1" })
    const v2 = await f.alice.editNote({ noteId: note.id, body: "v2", expectedVersion: 1 })
    const v3 = await f.sam.editNote({ noteId: note.id, body: "v3" })
    expect(v3).toMatchObject({ body: "v3", version: 3, authorId: "alice" })
    expect(v3.revisions).toEqual([
      { body: "v1", editedBy: "alice", editedAt: v2.editedAt },
      { body: "v2", editedBy: "sam", editedAt: v3.editedAt },
    ])
    await expect(f.alice.editNote({ noteId: note.id, body: "stale", expectedVersion: 2 })).rejects.toMatchObject({ code: "version_conflict" })
  })

  it("are changed only by their author, a supervisor or an admin", async () => {
    const f = fixture()
    const { contact } = await contactWithConversation(f)
    const note = await f.alice.addNote({ subject: { kind: "contact", id: contact.id }, body: "mine" })
    await expect(f.bob.editNote({ noteId: note.id, body: "hijack" })).rejects.toMatchObject({ code: "forbidden" })
    await expect(f.bob.deleteNote({ noteId: note.id })).rejects.toMatchObject({ code: "forbidden" })
    expect((await f.alice.getNote({ noteId: note.id })).body).toBe("mine")
  })

  it("are soft-deleted: gone from the panel, kept for supervisors; the activity log records the deletion without the text", async () => {
    const f = fixture()
    const { conversation } = await contactWithConversation(f)
    const note = await f.alice.addNote({ subject: { kind: "conversation", id: conversation.id }, body: "Wrong customer" })
    const deleted = await f.alice.deleteNote({ noteId: note.id })
    expect(deleted).toMatchObject({ deletedBy: "alice", version: 2 })
    expect(await f.alice.deleteNote({ noteId: note.id })).toEqual(deleted)
    expect((await f.alice.listNotes({ subject: { kind: "conversation", id: conversation.id } })).items).toEqual([])
    await expect(f.alice.getNote({ noteId: note.id })).rejects.toMatchObject({ code: "not_found" })
    expect(await f.sam.getNote({ noteId: note.id })).toEqual(deleted)
    await expect(f.sam.editNote({ noteId: note.id, body: "revive" })).rejects.toMatchObject({ code: "not_found" })
    for (const reader of [f.alice, f.sam]) {
      const log = await reader.conversationActivity({ conversationId: conversation.id })
      expect(log.items[0]).toMatchObject({ type: "note.deleted", subjectId: note.id })
      expect(JSON.stringify(log)).not.toContain("Wrong customer")
    }
    expect((await f.alice.getDetails({ conversationId: conversation.id })).notes.conversation).toEqual({ items: [], nextCursor: null })
  })
})
