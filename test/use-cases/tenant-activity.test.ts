import { describe, expect, it } from "vitest"
import { contactWithConversation, fixture } from "./fixture"

describe("the tenant's activity feed", () => {
  it("lists settings and catalog changes newest first, in pages, to supervisors and admins of the tenant only", async () => {
    const f = fixture()
    const { conversation } = await contactWithConversation(f)
    const support = await f.sam.createDepartment({ name: "Support" })
    await f.sam.renameDepartment({ departmentId: support.id, name: "Customer care" })
    const label = await f.alice.createLabel({ name: "VIP", color: "#aa0000" })
    await f.alice.addNote({ subject: { kind: "conversation", id: conversation.id }, body: "Called back" })
    await f.eve.createDepartment({ name: "Globex only" })
    const first = await f.sam.tenantActivity({ limit: 2 })
    expect(first.items.map((e) => e.type)).toEqual(["label.created", "department.renamed"])
    const second = await f.root.tenantActivity({ limit: 2, cursor: first.nextCursor! })
    expect(second.items.map((e) => e.type)).toEqual(["department.created"])
    expect(second.nextCursor).toBeNull()
    expect(first.items[0]).toMatchObject({ subjectId: label.id, conversationId: null, contactId: null, tenantId: "acme" })
    // Another tenant's feed has its own events only; an agent may not read the feed.
    expect((await f.eve.tenantActivity({ limit: 10 })).items.map((e) => e.type)).toEqual(["department.created"])
    await expect(f.alice.tenantActivity({ limit: 10 })).rejects.toMatchObject({ code: "forbidden" })
  })

  it("shows a keyword merge, and puts it on the timeline of every conversation it retagged", async () => {
    const f = fixture()
    const { contact, conversation } = await contactWithConversation(f)
    const other = await f.alice.openConversation({ contactId: contact.id, channel: "email" })
    const untouched = await f.alice.openConversation({ contactId: contact.id, channel: "sms" })
    const facture = await f.sam.createKeyword({ name: "Facture" })
    const invoice = await f.sam.createKeyword({ name: "Invoice" })
    await f.alice.attachKeyword({ conversationId: conversation.id, keywordId: facture.id })
    await f.alice.attachKeyword({ conversationId: other.id, keywordId: facture.id })
    await f.alice.attachKeyword({ conversationId: other.id, keywordId: invoice.id })
    await f.sam.mergeKeywords({ sourceId: facture.id, targetId: invoice.id })
    const [merge] = (await f.sam.tenantActivity({ limit: 1 })).items
    expect(merge).toMatchObject({ type: "keyword.merged", subjectId: facture.id, conversationId: null, after: { mergedIntoId: invoice.id, conversations: 2 } })
    for (const touched of [conversation, other]) {
      const [latest] = (await f.alice.conversationActivity({ conversationId: touched.id, limit: 1 })).items
      expect(latest).toMatchObject({
        type: "keyword.merged",
        subjectId: facture.id,
        conversationId: touched.id,
        contactId: contact.id,
        after: { mergedIntoId: invoice.id, targetName: "Invoice" },
      })
    }
    const timeline = (await f.alice.conversationActivity({ conversationId: untouched.id, limit: 10 })).items
    expect(timeline.some((e) => e.type === "keyword.merged")).toBe(false)
    // The per-conversation entries are not repeated on the tenant's feed.
    expect((await f.sam.tenantActivity({ limit: 20 })).items.filter((e) => e.type === "keyword.merged")).toHaveLength(1)
  })
})
