import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { createRmcClient, createRmcHandler, type RmcHandlerOptions } from "../../../src/adapters/http"
import { type NodeServer, serveNode } from "../../../src/adapters/http/node"
import { memoryStorage } from "../../../src/adapters/memory"
import { VersionConflictError } from "../../../src/domain/shared/errors"
import type { Principal } from "../../../src/domain/shared/principal"
import { createRmc } from "../../../src/facade/create-rmc"

const alice: Principal = { tenantId: "semantics", agentId: "alice", role: "agent" }
const json = { "content-type": "application/json", authorization: "Bearer alice" }

describe("HTTP semantics of the REST API", () => {
  const rmc = createRmc({ storage: memoryStorage() })
  const api = rmc.as(alice)
  const servers: Array<NodeServer> = []
  const serve = async (options: Partial<RmcHandlerOptions> = {}) => {
    const server = await serveNode(
      createRmcHandler({ rmc, authenticate: (r) => (r.headers.get("authorization") === "Bearer alice" ? alice : null), ...options }),
    )
    servers.push(server)
    return server.url
  }
  let plain = ""
  let contactId = ""
  beforeAll(async () => {
    plain = await serve()
    contactId = (await api.createContact({ fullName: "Camille Martin", primaryPhone: "0612345678" })).id
  })
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()))
    await rmc.dispose()
  })
  const newNote = () => api.addNote({ subject: { kind: "contact", id: contactId }, body: "first" })
  const edit = (url: string, noteId: string, ifMatch: string | Array<[string, string]>, body = "edited") =>
    fetch(`${url}/notes/${noteId}`, {
      method: "PATCH",
      headers: typeof ifMatch === "string" ? { ...json, "if-match": ifMatch } : [...Object.entries(json), ...ifMatch],
      body: JSON.stringify({ body }),
    })

  describe("WWW-Authenticate", () => {
    it("is on every 401, Bearer with the realm rmc-details by default, and on nothing else", async () => {
      const refused = await fetch(`${plain}/departments`)
      expect(refused.status).toBe(401)
      expect(refused.headers.get("www-authenticate")).toBe('Bearer realm="rmc-details"')
      const wrongToken = await fetch(`${plain}/notes`, { method: "POST", headers: { ...json, authorization: "Bearer mallory" }, body: "{}" })
      expect(wrongToken.status).toBe(401)
      expect(wrongToken.headers.get("www-authenticate")).toBe('Bearer realm="rmc-details"')
      const ok = await fetch(`${plain}/departments`, { headers: json })
      expect(ok.status).toBe(200)
      expect(ok.headers.get("www-authenticate")).toBeNull()
    })

    it("takes the scheme and realm of the options, the realm quoted, and refuses what a header cannot carry", async () => {
      const url = await serve({ challenge: { scheme: "Basic", realm: 'Details "EU" \\ 1' } })
      expect((await fetch(`${url}/departments`)).headers.get("www-authenticate")).toBe('Basic realm="Details \\"EU\\" \\\\ 1"')
      const authenticate = () => null
      expect(() => createRmcHandler({ rmc, authenticate, challenge: { scheme: "Bearer x" } })).toThrow(TypeError)
      expect(() => createRmcHandler({ rmc, authenticate, challenge: { realm: "a\r\nSet-Cookie: x=1" } })).toThrow(TypeError)
    })
  })

  describe("If-Match", () => {
    it("emits strong ETags and compares them strongly: a list matches any of its versions, a weak tag never matches", async () => {
      const note = await newNote()
      const read = await fetch(`${plain}/notes/${note.id}`, { headers: json })
      expect(read.headers.get("etag")).toBe('"1"')
      // A list whose first (highest) version is not current, then one sent as two header lines.
      const listed = await edit(plain, note.id, '"9", "1"', "second")
      expect(listed.status).toBe(200)
      expect(listed.headers.get("etag")).toBe('"2"')
      const lines = await edit(
        plain,
        note.id,
        [
          ["if-match", 'W/"2"'],
          ["if-match", '"2"'],
        ],
        "third",
      )
      expect(lines.status).toBe(200)
      expect(lines.headers.get("etag")).toBe('"3"')
      const stale = await edit(plain, note.id, '"1", "2"')
      expect(stale.status).toBe(412)
      expect(await stale.json()).toMatchObject({ code: "version_conflict", actual: 3 })
      for (const unmatched of ['W/"3"', '"abc"', 'W/"3", "x,y"']) {
        const response = await edit(plain, note.id, unmatched)
        expect(response.status, unmatched).toBe(412)
        expect(await response.json()).toMatchObject({ code: "version_conflict", actual: 3, detail: expect.stringMatching(/weak tags never match/) })
      }
      expect((await api.getNote({ noteId: note.id })).body).toBe("third")
    })

    it("takes * as any current version, and answers 404 for a record that does not exist", async () => {
      const note = await newNote()
      await api.editNote({ noteId: note.id, body: "moved on" })
      const any = await edit(plain, note.id, "*")
      expect(any.status).toBe(200)
      expect(any.headers.get("etag")).toBe('"3"')
      const missing = "0190a6a2-0000-7000-8000-000000000000"
      for (const ifMatch of ["*", 'W/"1"', '"1"']) expect((await edit(plain, missing, ifMatch)).status, ifMatch).toBe(404)
      for (const malformed of ["1", '"1', 'w/"1"', ", ,"]) {
        const response = await edit(plain, note.id, malformed)
        expect(response.status, malformed).toBe(400)
        expect(await response.json()).toMatchObject({ code: "validation_failed", issues: [{ path: ["If-Match"] }] })
      }
    })

    it("is what the client sends for an expected version", async () => {
      const sent: Array<string | null> = []
      const recording: typeof fetch = (input, init) => {
        sent.push(new Headers(init?.headers).get("if-match"))
        return fetch(input, init)
      }
      const client = createRmcClient({ baseUrl: plain, headers: { authorization: "Bearer alice" }, fetch: recording })
      const note = await newNote()
      expect(await client.editNote({ noteId: note.id, body: "by the client", expectedVersion: 1 })).toMatchObject({ version: 2 })
      await expect(client.editNote({ noteId: note.id, body: "stale", expectedVersion: 1 })).rejects.toBeInstanceOf(VersionConflictError)
      expect(sent).toEqual(['"1"', '"1"'])
    })
  })

  describe("CORS", () => {
    const origin = "https://app.example.com"

    it("is off by default: no CORS header, and OPTIONS is a method the API does not allow", async () => {
      const read = await fetch(`${plain}/departments`, { headers: { ...json, origin } })
      expect(read.headers.get("access-control-allow-origin")).toBeNull()
      const preflight = await fetch(`${plain}/departments`, { method: "OPTIONS", headers: { origin, "access-control-request-method": "GET" } })
      expect(preflight.status).toBe(405)
      expect(preflight.headers.get("allow")).toBe("GET, HEAD, POST")
    })

    it("answers a preflight 204 without authentication and exposes the API's headers to allowed origins only", async () => {
      const url = await serve({ cors: { origin: [origin], credentials: true, maxAge: 600, allowHeaders: ["X-Trace"], exposeHeaders: ["X-Trace"] } })
      const note = await newNote()
      const preflight = await fetch(`${url}/notes/${note.id}`, {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "PATCH", "access-control-request-headers": "if-match, content-type, authorization" },
      })
      expect(preflight.status).toBe(204)
      expect(preflight.headers.get("access-control-allow-origin")).toBe(origin)
      expect(preflight.headers.get("access-control-allow-credentials")).toBe("true")
      expect(preflight.headers.get("access-control-max-age")).toBe("600")
      expect(preflight.headers.get("access-control-allow-methods")?.split(",")).toEqual(expect.arrayContaining(["PATCH", "DELETE"]))
      expect(preflight.headers.get("access-control-allow-headers")?.toLowerCase().split(",")).toEqual(
        expect.arrayContaining(["authorization", "content-type", "if-match", "idempotency-key", "x-trace"]),
      )
      const read = await fetch(`${url}/notes/${note.id}`, { headers: { ...json, origin } })
      expect(read.status).toBe(200)
      expect(read.headers.get("access-control-allow-origin")).toBe(origin)
      expect(read.headers.get("vary")).toMatch(/origin/i)
      expect(read.headers.get("access-control-expose-headers")?.split(",")).toEqual(
        expect.arrayContaining(["ETag", "Location", "WWW-Authenticate", "Allow", "X-Trace"]),
      )
      // A refusal is readable too: the browser's script sees the 401 and its challenge.
      const refused = await fetch(`${url}/notes/${note.id}`, { headers: { origin } })
      expect(refused.status).toBe(401)
      expect(refused.headers.get("access-control-allow-origin")).toBe(origin)
      expect(refused.headers.get("www-authenticate")).toBe('Bearer realm="rmc-details"')
      const stranger = await fetch(`${url}/notes/${note.id}`, { headers: { ...json, origin: "https://evil.example" } })
      expect(stranger.headers.get("access-control-allow-origin")).toBeNull()
    })

    it("takes a function of the origin, and refuses credentials with any origin", async () => {
      const url = await serve({ cors: { origin: async (o) => (o.endsWith(".example.com") ? o : null) } })
      const allowed = await fetch(`${url}/departments`, { headers: { ...json, origin: "https://eu.example.com" } })
      expect(allowed.headers.get("access-control-allow-origin")).toBe("https://eu.example.com")
      const refused = await fetch(`${url}/departments`, { headers: { ...json, origin: "https://example.org" } })
      expect(refused.headers.get("access-control-allow-origin")).toBeNull()
      expect(() => createRmcHandler({ rmc, authenticate: () => null, cors: { origin: "*", credentials: true } })).toThrow(TypeError)
    })
  })

  describe("routing and bodies", () => {
    it("answers 405 with Allow and 404 under a base path, with problem documents", async () => {
      const url = await serve({ basePath: "/api/details" })
      const method = await fetch(`${url}/api/details/notes`, { method: "PUT", headers: json })
      expect(method.status).toBe(405)
      expect(method.headers.get("allow")).toBe("POST")
      expect(method.headers.get("content-type")).toBe("application/problem+json")
      const created = await fetch(`${url}/api/details/contacts`, { method: "POST", headers: json, body: JSON.stringify({ fullName: "Léa Roux" }) })
      expect(created.status).toBe(201)
      expect(created.headers.get("location")).toBe(`/api/details/contacts/${(await created.json()).id}`)
      const outside = await fetch(`${url}/notes`, { method: "POST", headers: json, body: "{}" })
      expect(outside.status).toBe(404)
      expect(await outside.json()).toMatchObject({ code: "not_found" })
    })

    it("gives a creation's Location where its record can be read, and none where it cannot", async () => {
      const note = await fetch(`${plain}/notes`, {
        method: "POST",
        headers: json,
        body: JSON.stringify({ subject: { kind: "contact", id: contactId }, body: "hello" }),
      })
      const location = note.headers.get("location")!
      expect(location).toBe(`/notes/${(await note.json()).id}`)
      expect(await (await fetch(`${plain}${location}`, { headers: json })).json()).toMatchObject({ body: "hello" })
      const label = await fetch(`${plain}/labels`, { method: "POST", headers: json, body: JSON.stringify({ name: "Urgent", color: "#e11d48" }) })
      expect(label.status).toBe(201)
      expect(label.headers.get("location")).toBeNull()
    })

    it("authenticates before reading a body: a stranger's large body is 401, not buffered", async () => {
      const url = await serve({ maxBodyBytes: 1024 })
      const big = JSON.stringify({ subject: { kind: "contact", id: contactId }, body: "x".repeat(4096) })
      expect((await fetch(`${url}/notes`, { method: "POST", headers: { "content-type": "application/json" }, body: big })).status).toBe(401)
      const tooLarge = await fetch(`${url}/notes`, { method: "POST", headers: json, body: big })
      expect(tooLarge.status).toBe(413)
      expect(await tooLarge.json()).toMatchObject({ status: 413, code: "payload_too_large" })
    })

    it("coerces query parameters by the input's schema and names the ones it refuses", async () => {
      const conversation = await api.openConversation({ contactId, channel: "sms" })
      const ok = await fetch(`${plain}/conversations/${conversation.id}/details?historyLimit=1`, { headers: json })
      expect(ok.status).toBe(200)
      for (const [query, name] of [
        ["historyLimit=ten", "historyLimit"],
        ["historyLimit=1.5", "historyLimit"],
        ["historyLimit=1&historyLimit=2", "historyLimit"],
      ] as const) {
        const response = await fetch(`${plain}/conversations/${conversation.id}/details?${query}`, { headers: json })
        expect(response.status, query).toBe(400)
        expect(await response.json()).toMatchObject({ code: "validation_failed", issues: [{ path: [name] }] })
      }
      const flag = await fetch(`${plain}/labels?includeArchived=yes`, { headers: json })
      expect(flag.status).toBe(400)
      expect(await flag.json()).toMatchObject({ issues: [{ path: ["includeArchived"] }] })
    })
  })
})
