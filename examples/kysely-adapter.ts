import { createRmc } from "rmc-details"
import { createKyselyDatabase, kyselyStorage, migrateToLatest } from "rmc-details/kysely"

export async function main() {
  // SQLite needs no driver; use { dialect: "postgres", url }, { dialect: "mysql", url } or { dialect: "pglite" } for the others.
  const { db, dialect, destroy } = await createKyselyDatabase({ dialect: "sqlite", path: ":memory:" })
  await migrateToLatest(db, { dialect })
  const rmc = createRmc({ storage: kyselyStorage({ db, dialect }) })
  const agent = rmc.as({ tenantId: "acme", agentId: "alice", role: "agent" })
  const contact = await agent.createContact({ fullName: "Karim Benali", primaryPhone: "01 45 67 89 10" })
  const page = await agent.listContactConversations({ contactId: contact.id })
  console.log(contact.primaryPhone, page.items.length)
  await rmc.dispose()
  await destroy()
  return contact
}
