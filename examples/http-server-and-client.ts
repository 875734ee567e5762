import { createRmc, memoryStorage } from "rmc-details"
import { createRmcClient, createRmcHandler } from "rmc-details/http"
import { serveNode } from "rmc-details/http/node"

export async function main() {
  const rmc = createRmc({ storage: memoryStorage() })
  const handler = createRmcHandler({
    rmc,
    // Your product resolves the principal from its own session or token.
    authenticate: (request) => (request.headers.get("authorization") === "Bearer secret-token" ? { tenantId: "acme", agentId: "alice", role: "agent" } : null),
  })
  const server = await serveNode(handler, { port: 0 })

  const api = createRmcClient({ baseUrl: server.url, headers: { authorization: "Bearer secret-token" }, timeoutMs: 5_000 })
  const contact = await api.createContact({ fullName: "Chloé Petit", idempotencyKey: "contact-1" })
  const again = await api.createContact({ fullName: "Chloé Petit", idempotencyKey: "contact-1" })
  console.log(contact.id === again.id, `${server.url}/openapi.json`)

  await server.close()
  await rmc.dispose()
  return contact
}
