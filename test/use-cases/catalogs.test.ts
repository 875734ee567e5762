import { describe, expect, it } from "vitest"
import { contactWithConversation, fixture } from "./fixture"

describe("departments", () => {
  it("are a tenant list managed by supervisors and admins", async () => {
    const f = fixture()
    await expect(f.alice.createDepartment({ name: "Sales" })).rejects.toMatchObject({ code: "forbidden" })
    const sales = await f.sam.createDepartment({ name: "Sales" })
    await f.root.createDepartment({ name: "Support" })
    await expect(f.sam.createDepartment({ name: "  SALES " })).rejects.toMatchObject({ code: "name_taken" })
    expect((await f.sam.renameDepartment({ departmentId: sales.id, name: "Ventes" })).name).toBe("Ventes")
    await f.sam.archiveDepartment({ departmentId: sales.id })
    expect((await f.alice.listDepartments({})).items.map((d) => d.name)).toEqual(["Support"])
    expect((await f.alice.listDepartments({ includeArchived: true })).items.map((d) => d.name)).toEqual(["Support", "Ventes"])
    expect(await f.eve.listDepartments({ includeArchived: true })).toEqual({ items: [], nextCursor: null })
  })
})

describe("keywords", () => {
  it("are a central catalog: supervisors manage it, agents attach and detach", async () => {
    const f = fixture()
    const { conversation } = await contactWithConversation(f)
    await expect(f.alice.createKeyword({ name: "Facture" })).rejects.toMatchObject({ code: "forbidden" })
    const invoice = await f.sam.createKeyword({ name: "Facturé" })
    await expect(f.sam.createKeyword({ name: "FACTURE" })).rejects.toMatchObject({ code: "name_taken" })
    const refund = await f.sam.createKeyword({ name: "Remboursement" })
    expect(await f.alice.attachKeyword({ conversationId: conversation.id, keywordId: invoice.id })).toEqual([invoice])
    expect(await f.bob.attachKeyword({ conversationId: conversation.id, keywordId: invoice.id })).toEqual([invoice])
    expect((await f.bob.attachKeyword({ conversationId: conversation.id, keywordId: refund.id })).map((k) => k.name)).toEqual(["Facturé", "Remboursement"])
    expect(await f.alice.detachKeyword({ conversationId: conversation.id, keywordId: invoice.id })).toEqual([refund])
    const log = await f.alice.conversationActivity({ conversationId: conversation.id })
    expect(log.items.filter((e) => e.type.startsWith("keyword.")).map((e) => e.type)).toEqual(["keyword.detached", "keyword.attached", "keyword.attached"])
    await f.sam.archiveKeyword({ keywordId: invoice.id })
    await expect(f.alice.attachKeyword({ conversationId: conversation.id, keywordId: invoice.id })).rejects.toMatchObject({ code: "archived" })
    await expect(f.alice.renameKeyword({ keywordId: refund.id, name: "Refund" })).rejects.toMatchObject({ code: "forbidden" })
  })

  it("merge into one: conversations move to the target, the source is archived and points to it", async () => {
    const f = fixture()
    const { contact, conversation } = await contactWithConversation(f)
    const other = await f.alice.openConversation({ contactId: contact.id, channel: "email" })
    const facture = await f.sam.createKeyword({ name: "Facture" })
    const invoice = await f.sam.createKeyword({ name: "Invoice" })
    await f.alice.attachKeyword({ conversationId: conversation.id, keywordId: facture.id })
    await f.alice.attachKeyword({ conversationId: other.id, keywordId: facture.id })
    await f.alice.attachKeyword({ conversationId: other.id, keywordId: invoice.id })
    expect(await f.sam.mergeKeywords({ sourceId: facture.id, targetId: invoice.id })).toEqual(invoice)
    expect((await f.alice.getDetails({ conversationId: conversation.id })).keywords).toEqual([invoice])
    expect((await f.alice.getDetails({ conversationId: other.id })).keywords).toEqual([invoice])
    const [archived] = (await f.alice.listKeywords({ includeArchived: true })).items.filter((k) => k.id === facture.id)
    expect(archived).toMatchObject({ mergedIntoId: invoice.id })
    expect(archived?.archivedAt).not.toBeNull()
    await expect(f.sam.mergeKeywords({ sourceId: invoice.id, targetId: invoice.id })).rejects.toMatchObject({ code: "validation_failed" })
  })
})

describe("labels", () => {
  it("are created on the spot by any agent, optionally applied at once", async () => {
    const f = fixture()
    const { conversation } = await contactWithConversation(f)
    const hot = await f.alice.createLabel({ name: "Prospect chaud", color: "#E11D48", applyTo: conversation.id })
    expect(hot).toMatchObject({ color: "#e11d48", createdBy: "alice", description: null })
    expect((await f.alice.getDetails({ conversationId: conversation.id })).labels).toEqual([hot])
    await expect(f.bob.createLabel({ name: "prospect CHAUD", color: "#000000" })).rejects.toMatchObject({ code: "name_taken" })
    await expect(f.bob.createLabel({ name: "No colour" } as never)).rejects.toMatchObject({ code: "validation_failed" })
  })

  it("are applied and removed one at a time; supervisors curate them", async () => {
    const f = fixture()
    const { conversation } = await contactWithConversation(f)
    const incident = await f.alice.createLabel({ name: "Incident en cours", color: "#f59e0b", description: "Outage on the line" })
    const vip = await f.bob.createLabel({ name: "VIP", color: "#7c3aed" })
    await f.alice.applyLabel({ conversationId: conversation.id, labelId: incident.id })
    expect((await f.bob.applyLabel({ conversationId: conversation.id, labelId: vip.id })).map((l) => l.name)).toEqual(["Incident en cours", "VIP"])
    expect(await f.alice.removeLabel({ conversationId: conversation.id, labelId: incident.id })).toEqual([vip])
    await expect(f.alice.updateLabel({ labelId: vip.id, color: "#000000" })).rejects.toMatchObject({ code: "forbidden" })
    const updated = await f.sam.updateLabel({ labelId: vip.id, name: "Client VIP", description: null })
    expect(updated).toMatchObject({ name: "Client VIP", color: "#7c3aed" })
    await f.sam.archiveLabel({ labelId: incident.id })
    await expect(f.alice.applyLabel({ conversationId: conversation.id, labelId: incident.id })).rejects.toMatchObject({ code: "archived" })
    expect((await f.alice.listLabels({})).items.map((l) => l.name)).toEqual(["Client VIP"])
  })

  it("list one page at a time, A to Z, with a name search that ignores case and accents", async () => {
    const f = fixture()
    const names = ["Équipe Sud", "equipe nord", "Ventes", "Support", "Sécurité", "Après-vente"]
    for (const name of names) await f.alice.createLabel({ name, color: "#112233" })
    const pages = [await f.alice.listLabels({ limit: 4 })]
    while (pages.at(-1)!.nextCursor !== null) pages.push(await f.alice.listLabels({ limit: 4, cursor: pages.at(-1)!.nextCursor! }))
    expect(pages.map((p) => p.items.map((l) => l.name))).toEqual([
      ["Après-vente", "equipe nord", "Équipe Sud", "Sécurité"],
      ["Support", "Ventes"],
    ])
    expect((await f.alice.listLabels({ query: "EQUIPE" })).items.map((l) => l.name)).toEqual(["equipe nord", "Équipe Sud"])
    expect((await f.alice.listLabels({ query: "vente" })).items.map((l) => l.name)).toEqual(["Après-vente", "Ventes"])
    expect((await f.alice.listLabels({ query: "secu", limit: 1 })).nextCursor).toBeNull()
    await expect(f.alice.listLabels({ cursor: "nope" })).rejects.toMatchObject({ code: "validation_failed" })
    await expect(f.alice.listLabels({ limit: 0 })).rejects.toMatchObject({ code: "validation_failed" })
  })

  it("refuse an input field they do not know, naming it", async () => {
    const f = fixture()
    const error = await f.sam.createKeyword({ name: "Invoice", colour: "#fff" } as never).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: "validation_failed", issues: [{ path: ["colour"] }] })
    expect((await f.alice.listKeywords({})).items).toEqual([])
  })
})
