import { createRmc, memoryStorage, memoryTelephony, NotFoundError } from "rmc-details"

export async function main() {
  const rmc = createRmc({ storage: memoryStorage(), telephony: memoryTelephony() })
  const camille = rmc.as({ tenantId: "acme", agentId: "camille", role: "agent" })
  const sophie = rmc.as({ tenantId: "acme", agentId: "sophie", role: "supervisor" })

  const support = await sophie.createDepartment({ name: "Support" })
  const contact = await camille.createContact({ fullName: "Marie Dubois", type: "Lead", primaryPhone: "06 12 34 56 78" })
  const conversation = await camille.openConversation({ contactId: contact.id, channel: "whatsapp", departmentId: support.id })

  await camille.addNote({ subject: { kind: "conversation", id: conversation.id }, body: "Wants a quote for 20 lines" })
  await camille.createLabel({ name: "Hot prospect", color: "#e11d48", applyTo: conversation.id })
  await camille.callContact({ conversationId: conversation.id, idempotencyKey: "call-1" })
  await camille.transformContact({ contactId: contact.id, to: "Client", reason: "Signed" })

  const details = await camille.getDetails({ conversationId: conversation.id })
  console.log(
    details.contact.type,
    details.labels.map((l) => l.name),
    details.actions.filter((a) => a.enabled).map((a) => a.name),
  )
  // Lists come a page at a time ({ items, nextCursor }); catalogs take a name search.
  const hot = await camille.listLabels({ query: "hot", limit: 10 })
  console.log(
    details.notes.conversation.items.map((n) => n.body),
    hot.items.map((l) => l.name),
  )

  try {
    await rmc.as({ tenantId: "globex", agentId: "eve", role: "admin" }).getContact({ contactId: contact.id })
  } catch (error) {
    if (error instanceof NotFoundError) console.log("another tenant sees nothing:", error.code)
  }
  await rmc.dispose()
  return details
}
