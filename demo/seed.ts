import type { Rmc } from "../src"

/** The demo's tenants: a French telecom reseller and a home-goods retailer. */
export const demoTenants = {
  "telco-fr": { name: "Télécom Horizon", agents: ["camille", "yanis", "ines"], supervisor: "sophie", admin: "admin" },
  "maison-lumiere": { name: "Maison Lumière", agents: ["lucas", "emma"], supervisor: "hugo", admin: "admin" },
} as const

type TenantId = keyof typeof demoTenants

/**
 * Seeds a tenant through the public Promise API: departments, keywords, labels, contacts on every
 * channel, conversations with history, notes (one edited), calls with their status reports,
 * transfers and contact transformations.
 */
export const seedTenant = async (rmc: Rmc, tenantId: TenantId) => {
  const tenant = demoTenants[tenantId]
  const admin = rmc.as({ tenantId, agentId: tenant.admin, role: "admin" })
  const supervisor = rmc.as({ tenantId, agentId: tenant.supervisor, role: "supervisor" })
  const agents = tenant.agents.map((agentId) => rmc.as({ tenantId, agentId, role: "agent" }))
  const agent = (i: number) => agents[i % agents.length]!
  const telephony = rmc.as({ tenantId, agentId: "voip-platform", role: "supervisor" })

  await admin.configureTenant({ policies: { noteBeforeTransfer: tenantId === "telco-fr" } })
  const departments = Object.fromEntries(
    await Promise.all(
      ["Ventes", "Support", "VoIP", "Marketing", "Direction", "RH"].map(async (name) => [name, await supervisor.createDepartment({ name })] as const),
    ),
  )
  const keywords = Object.fromEntries(
    await Promise.all(
      ["Facturation", "Fibre", "Portabilité", "Résiliation", "Devis", "Livraison", "Remboursement"].map(
        async (name) => [name, await supervisor.createKeyword({ name })] as const,
      ),
    ),
  )
  const hot = await agent(0).createLabel({ name: "Prospect chaud", color: "#e11d48", description: "Prêt à signer cette semaine" })
  const incident = await agent(1).createLabel({ name: "Incident en cours", color: "#f59e0b" })
  const vip = await supervisor.createLabel({ name: "Client VIP", color: "#7c3aed" })

  const people = [
    { fullName: "Marie Dubois", type: "Client", primaryPhone: "06 12 34 56 78", email: "marie.dubois@example.fr", channel: "whatsapp" },
    { fullName: "Thomas Laurent", type: "Lead", primaryPhone: "07 81 22 33 44", channel: "sms" },
    { fullName: "Léa Moreau", type: "Prospect", email: "lea.moreau@example.fr", channel: "email" },
    { fullName: "Karim Benali", type: "Client", primaryPhone: "01 45 67 89 10", channel: "voice" },
    { fullName: "Chloé Petit", type: "User", channel: "webchat" },
    { fullName: "Julien Roux", type: "Lead", primaryPhone: "06 98 76 54 32", channel: "messenger" },
    { fullName: "Sarah Cohen", type: "Prospect", channel: "instagram" },
    { fullName: "Antoine Girard", type: "Client", primaryPhone: "+32 470 12 34 56", channel: "telegram" },
  ] as const

  const opened = []
  for (const [i, person] of people.entries()) {
    const { channel, ...fields } = person
    const contact = await agent(i).createContact({
      ...fields,
      channelIdentities: [{ channel, handle: "primaryPhone" in person ? person.primaryPhone : `${person.fullName.toLowerCase().replace(/\W+/g, ".")}` }],
    })
    const department = Object.values(departments)[i % 6]!
    const main = await agent(i).openConversation({
      contactId: contact.id,
      channel,
      departmentId: department.id,
      assigneeId: tenant.agents[i % tenant.agents.length],
    })
    const second = await agent(i + 1).openConversation({ contactId: contact.id, channel: i % 2 ? "email" : "whatsapp" })
    await agent(i + 1).recordConversationActivity({ conversationId: second.id })
    await agent(i + 1).setConversationStatus({ conversationId: second.id, status: "resolved" })
    opened.push({ contact, main })
  }

  for (const [i, { contact, main }] of opened.entries()) {
    const who = agent(i)
    await who.addNote({ subject: { kind: "contact", id: contact.id }, body: "Préfère être recontacté le matin." })
    const note = await who.addNote({ subject: { kind: "conversation", id: main.id }, body: "Demande un devis pour 20 lignes." })
    if (i === 0) await who.editNote({ noteId: note.id, body: "Demande un devis pour 25 lignes, fibre incluse." })
    await who.attachKeyword({ conversationId: main.id, keywordId: Object.values(keywords)[i % 7]!.id })
    await who.attachKeyword({ conversationId: main.id, keywordId: Object.values(keywords)[(i + 3) % 7]!.id })
    await who.applyLabel({ conversationId: main.id, labelId: [hot, incident, vip][i % 3]!.id })
    if (i % 2 === 0) {
      const call = await who.callContact({ conversationId: main.id, idempotencyKey: `seed-call-${tenantId}-${i}` }).catch(() => null)
      if (call?.providerCallId) {
        // Stamped on the SDK's clock (back-dated while seeding), seconds after the call was placed.
        for (const [second, status] of (["ringing", "answered", "completed"] as const).entries()) {
          const at = new Date(Date.parse(call.createdAt) + (second + 1) * 1000).toISOString()
          await telephony.recordCallStatus({ providerCallId: call.providerCallId, status, at })
        }
      }
    }
    if (i === 1) await who.transformContact({ contactId: contact.id, to: "Prospect", reason: "A demandé une offre" })
    if (i === 2) await who.transformContact({ contactId: contact.id, to: "Client", reason: "Contrat signé" })
    if (i === 3) {
      await who.transferConversation({
        conversationId: main.id,
        toAgentId: tenant.agents[(i + 1) % tenant.agents.length],
        toDepartmentId: departments.Support!.id,
        note: "Problème technique : je transmets au support.",
      })
    }
  }
  return { departments, keywords, labels: [hot, incident, vip], conversations: opened }
}
