import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { createRmcClient, createRmcHandler, type OpenApiDocument } from "../../../src/adapters/http"
import { type NodeServer, serveNode } from "../../../src/adapters/http/node"
import { memoryStorage } from "../../../src/adapters/memory"
import { ContactExportRecord } from "../../../src/domain/privacy/contact-export"
import { Role } from "../../../src/domain/shared/principal"
import { createRmc } from "../../../src/facade/create-rmc"
import { exportContactRecords } from "../../../src/facade/export-contact-records"

describe("a contact's export over HTTP", () => {
  const rmc = createRmc({ storage: memoryStorage() })
  let server: NodeServer
  const headers = (role: string, accept = "application/x-ndjson") => ({ authorization: `Bearer acme|${role}`, accept })

  beforeAll(async () => {
    const handler = createRmcHandler({
      rmc,
      authenticate: (request) => {
        const [tenantId, role] = (request.headers.get("authorization") ?? "").replace(/^Bearer /, "").split("|")
        const parsed = Role.safeParse(role)
        return tenantId && parsed.success ? { tenantId, agentId: `${parsed.data}-1`, role: parsed.data } : null
      },
    })
    server = await serveNode(handler, { port: 0, hostname: "127.0.0.1" })
  })
  afterAll(async () => {
    await server?.close()
    await rmc.dispose()
  })

  const seed = async () => {
    const admin = rmc.as({ tenantId: "acme", agentId: "admin-1", role: "admin" })
    const contact = await admin.createContact({ fullName: "Streamed Contact", type: "Lead" })
    for (let i = 0; i < 5; i++) {
      const conversation = await admin.openConversation({ contactId: contact.id, channel: "sms" })
      for (let n = 0; n < 30; n++) await admin.addNote({ subject: { kind: "conversation", id: conversation.id }, body: `note ${i}.${n}` })
    }
    return contact
  }

  it("streams every page as one record per line to a request that accepts NDJSON, and pages as JSON otherwise", async () => {
    const contact = await seed()
    const response = await fetch(`${server.url}/contacts/${contact.id}/export?limit=7`, { headers: headers("admin") })
    expect(response.status).toBe(200)
    expect(response.headers.get("content-type")).toBe("application/x-ndjson")
    const lines = (await response.text()).split("\n")
    expect(lines.at(-1)).toBe("")
    const records = lines.slice(0, -1).map((line) => ContactExportRecord.parse(JSON.parse(line)))
    // The contact, 5 conversations, 150 notes, its events (created, 5 opened, 150 notes added).
    expect(records.filter((r) => r.kind === "note")).toHaveLength(150)
    expect(records.filter((r) => r.kind === "conversation")).toHaveLength(5)
    expect(records[0]).toMatchObject({ kind: "contact", contact: { id: contact.id } })

    // The same records, page by page, through the typed client.
    const client = createRmcClient({ baseUrl: server.url, headers: { authorization: "Bearer acme|admin" } })
    const paged = []
    for await (const record of exportContactRecords(client, { contactId: contact.id, pageSize: 11 })) paged.push(record)
    expect(paged).toEqual(records)
    const json = await fetch(`${server.url}/contacts/${contact.id}/export?limit=3`, { headers: headers("admin", "application/json") })
    expect(json.headers.get("content-type")).toBe("application/json")
    expect(((await json.json()) as { items: Array<unknown> }).items).toHaveLength(3)
  })

  it("refuses a supervisor and an unknown contact with a problem document, before any line", async () => {
    const contact = await seed()
    const refused = await fetch(`${server.url}/contacts/${contact.id}/export`, { headers: headers("supervisor") })
    expect(refused.status).toBe(403)
    expect(refused.headers.get("content-type")).toBe("application/problem+json")
    const unknown = await fetch(`${server.url}/contacts/${crypto.randomUUID()}/export`, { headers: headers("admin") })
    expect(unknown.status).toBe(404)
  })

  it("declares the NDJSON answer in the OpenAPI document", async () => {
    const document = (await (await fetch(`${server.url}/openapi.json`)).json()) as OpenApiDocument
    const content = (document.paths as Record<string, Record<string, { responses: Record<string, { content: Record<string, unknown> }> }>>)[
      "/contacts/{contactId}/export"
    ]!.get!.responses["200"]!.content
    expect(Object.keys(content).sort()).toEqual(["application/json", "application/x-ndjson"])
  })
})
