import { describe, expect, it } from "vitest"
import { contactWithConversation, fixture } from "./fixture"

describe("keyword merges", () => {
  it("an attachment of a merged keyword lands on the merge target and answers it", async () => {
    const f = fixture()
    const { conversation } = await contactWithConversation(f)
    const facture = await f.sam.createKeyword({ name: "Facture" })
    const invoice = await f.sam.createKeyword({ name: "Invoice" })
    await f.sam.mergeKeywords({ sourceId: facture.id, targetId: invoice.id })
    expect(await f.alice.attachKeyword({ conversationId: conversation.id, keywordId: facture.id })).toEqual([invoice])
    const events = await f.alice.conversationActivity({ conversationId: conversation.id })
    expect(events.items.find((e) => e.type === "keyword.attached")?.after).toEqual({ keywordId: invoice.id, requestedKeywordId: facture.id })
  })

  it("follows merges of merges, and a target archived since is refused", async () => {
    const f = fixture()
    const { conversation } = await contactWithConversation(f)
    const a = await f.sam.createKeyword({ name: "Facture" })
    const b = await f.sam.createKeyword({ name: "Factura" })
    const c = await f.sam.createKeyword({ name: "Invoice" })
    await f.sam.mergeKeywords({ sourceId: a.id, targetId: b.id })
    await f.sam.mergeKeywords({ sourceId: b.id, targetId: c.id })
    expect(await f.alice.attachKeyword({ conversationId: conversation.id, keywordId: a.id })).toEqual([c])
    await f.sam.archiveKeyword({ keywordId: c.id })
    const other = await f.alice.openConversation({ contactId: conversation.contactId, channel: "email" })
    await expect(f.alice.attachKeyword({ conversationId: other.id, keywordId: a.id })).rejects.toMatchObject({ code: "archived", id: c.id })
  })

  it("a detachment of a merged keyword detaches the merge target", async () => {
    const f = fixture()
    const { conversation } = await contactWithConversation(f)
    const facture = await f.sam.createKeyword({ name: "Facture" })
    const invoice = await f.sam.createKeyword({ name: "Invoice" })
    await f.alice.attachKeyword({ conversationId: conversation.id, keywordId: facture.id })
    await f.sam.mergeKeywords({ sourceId: facture.id, targetId: invoice.id })
    expect(await f.alice.detachKeyword({ conversationId: conversation.id, keywordId: facture.id })).toEqual([])
  })

  it("refuses to merge a merged keyword again, or into an archived or merged keyword", async () => {
    const f = fixture()
    const facture = await f.sam.createKeyword({ name: "Facture" })
    const invoice = await f.sam.createKeyword({ name: "Invoice" })
    const bill = await f.sam.createKeyword({ name: "Bill" })
    const old = await f.sam.createKeyword({ name: "Old" })
    await f.sam.mergeKeywords({ sourceId: facture.id, targetId: invoice.id })
    await expect(f.sam.mergeKeywords({ sourceId: facture.id, targetId: bill.id })).rejects.toMatchObject({ code: "archived", id: facture.id })
    await expect(f.sam.mergeKeywords({ sourceId: bill.id, targetId: facture.id })).rejects.toMatchObject({ code: "archived", id: facture.id })
    await f.sam.archiveKeyword({ keywordId: old.id })
    await expect(f.sam.mergeKeywords({ sourceId: bill.id, targetId: old.id })).rejects.toMatchObject({ code: "archived", id: old.id })
    await expect(f.sam.mergeKeywords({ sourceId: bill.id, targetId: bill.id })).rejects.toMatchObject({ code: "validation_failed" })
    // An archived keyword that was never merged can still be folded into a live one.
    expect(await f.sam.mergeKeywords({ sourceId: old.id, targetId: bill.id })).toEqual(bill)
    const [facture2] = (await f.sam.listKeywords({ includeArchived: true })).items.filter((k) => k.id === facture.id)
    expect(facture2?.mergedIntoId).toBe(invoice.id)
  })
})
