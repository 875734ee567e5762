import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import fc from "fast-check"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { createRmcClient, createRmcHandler, HttpClientError } from "../../../src/adapters/http"
import { type NodeServer, serveNode } from "../../../src/adapters/http/node"
import { memoryStorage } from "../../../src/adapters/memory"
import type { Principal } from "../../../src/domain/shared/principal"
import { createRmc } from "../../../src/facade/create-rmc"
import { type OperationName, operations } from "../../../src/use-cases/catalog"
import { routes } from "../../../src/adapters/http/routes"
import { invalidInput } from "../../../src/testing"

const numRuns = Number(process.env.RMC_NUM_RUNS ?? 25)
const tokens: Record<string, Principal> = {
  alice: { tenantId: "acme", agentId: "alice", role: "agent" },
  root: { tenantId: "acme", agentId: "root", role: "admin" },
  eve: { tenantId: "globex", agentId: "eve", role: "admin" },
}

describe("the REST API over node:http", () => {
  const rmc = createRmc({ storage: memoryStorage() })
  let server: NodeServer
  const call = (path: string, init: RequestInit & { token?: string } = {}) =>
    fetch(`${server.url}${path}`, {
      ...init,
      headers: { ...(init.token === undefined ? {} : { authorization: `Bearer ${init.token}` }), ...(init.headers as Record<string, string>) },
    })
  const json = { "content-type": "application/json" }
  let conversationId = ""
  let contactId = ""

  beforeAll(async () => {
    server = await serveNode(
      createRmcHandler({
        rmc,
        maxBodyBytes: 64 * 1024,
        authenticate: (request) => tokens[request.headers.get("authorization")?.replace("Bearer ", "") ?? ""] ?? null,
      }),
    )
    const contact = await (
      await call("/contacts", { method: "POST", token: "alice", headers: json, body: JSON.stringify({ fullName: "Camille", primaryPhone: "0612345678" }) })
    ).json()
    contactId = contact.id
    const conversation = await (
      await call("/conversations", { method: "POST", token: "alice", headers: json, body: JSON.stringify({ contactId, channel: "sms" }) })
    ).json()
    conversationId = conversation.id
  })
  afterAll(async () => {
    await server.close()
    await rmc.dispose()
  })

  it("answers nothing without authentication, but serves its OpenAPI document", async () => {
    const response = await call(`/conversations/${conversationId}/details`)
    expect(response.status).toBe(401)
    expect(response.headers.get("content-type")).toBe("application/problem+json")
    expect(await response.json()).toMatchObject({ status: 401, code: "unauthenticated", type: "urn:rmc-details:problem:unauthenticated" })
    const document = await (await call("/openapi.json")).json()
    expect(document.openapi).toBe("3.1.0")
    expect(
      Object.values(document.paths)
        .flatMap((item) => Object.values(item as object))
        .map((op) => (op as { operationId: string }).operationId)
        .sort(),
    ).toEqual(Object.keys(operations).sort())
  })

  it("refuses a body field it does not know, at any depth, with a 400 naming it", async () => {
    const post = (path: string, body: unknown) => call(path, { method: "POST", token: "alice", headers: json, body: JSON.stringify(body) })
    const typo = await post("/contacts", { fullName: "Marie", fulName: "Marie" })
    expect(typo.status).toBe(400)
    expect(typo.headers.get("content-type")).toContain("application/problem+json")
    expect(await typo.json()).toMatchObject({ code: "validation_failed", issues: [{ path: ["fulName"] }] })
    const nested = await post("/notes", { subject: { kind: "contact", id: contactId, colour: "red" }, body: "x" })
    expect(await nested.json()).toMatchObject({ code: "validation_failed", issues: [{ path: ["subject", "colour"] }] })
    const client = createRmcClient({ baseUrl: server.url, headers: { authorization: "Bearer alice" } })
    await expect(client.listLabels({ include_archived: true } as never)).rejects.toMatchObject({ code: "validation_failed" })
  })

  it("pages a search like every list: limit and cursor in the query string", async () => {
    for (let i = 0; i < 4; i++)
      await call("/conversations", { method: "POST", token: "alice", headers: json, body: JSON.stringify({ contactId, channel: "email" }) })
    const search = (query: string, body: unknown = { filter: { contactId } }) =>
      call(`/conversations/search${query}`, { method: "POST", token: "alice", headers: json, body: JSON.stringify(body) })
    const first = await (await search("?limit=3")).json()
    expect(first.items).toHaveLength(3)
    const rest = await (await search(`?limit=3&cursor=${first.nextCursor}`)).json()
    expect(rest).toMatchObject({ nextCursor: null })
    expect(new Set([...first.items, ...rest.items].map((c: { id: string }) => c.id)).size).toBe(first.items.length + rest.items.length)
    const client = createRmcClient({ baseUrl: server.url, headers: { authorization: "Bearer alice" } })
    const viaClient = await client.searchConversations({ filter: { contactId }, limit: 3 })
    expect(viaClient.items.map((c) => c.id)).toEqual(first.items.map((c: { id: string }) => c.id))
    expect(await (await search("", { filter: { contactId }, limit: 3 })).json()).toMatchObject({ code: "validation_failed", issues: [{ path: ["limit"] }] })
    expect((await search("?cursor=nope")).status).toBe(400)
    expect((await search("?limit=101")).status).toBe(400)
    expect(await (await search("", { filter: { contactId, channels: [] } })).json()).toEqual({ items: [], nextCursor: null })
  })

  it("answers protocol errors with problem documents", async () => {
    const unknown = await call("/nope", { token: "alice" })
    expect(unknown.status).toBe(404)
    expect(await unknown.json()).toMatchObject({ code: "not_found" })
    const method = await call(`/conversations/${conversationId}/details`, { method: "PATCH", token: "alice" })
    expect(method.status).toBe(405)
    // HEAD is answered wherever GET is (the same answer without its body), so Allow lists it.
    expect(method.headers.get("allow")).toBe("GET, HEAD")
    expect(await method.json()).toMatchObject({ status: 405, code: "method_not_allowed" })
    const head = await call(`/conversations/${conversationId}/details`, { method: "HEAD", token: "alice" })
    expect(head.status).toBe(200)
    const malformed = await call("/notes", { method: "POST", token: "alice", headers: json, body: "{ not json" })
    expect(malformed.status).toBe(400)
    expect(await malformed.json()).toMatchObject({ code: "malformed_json" })
    const wrongType = await call("/notes", { method: "POST", token: "alice", headers: { "content-type": "text/plain" }, body: "hello" })
    expect(wrongType.status).toBe(415)
    const invalid = await call("/notes", { method: "POST", token: "alice", headers: json, body: JSON.stringify({ subject: { kind: "contact" }, body: "" }) })
    expect(invalid.status).toBe(400)
    expect((await invalid.json()).issues.length).toBeGreaterThan(0)
  })

  it("refuses a body over the limit while reading it, whatever Content-Length says", async () => {
    const big = JSON.stringify({ subject: { kind: "contact", id: contactId }, body: "x".repeat(100 * 1024) })
    const declared = await call("/notes", { method: "POST", token: "alice", headers: json, body: big })
    expect(declared.status).toBe(413)
    const chunks = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 100; i++) controller.enqueue(new TextEncoder().encode("x".repeat(1024)))
        controller.close()
      },
    })
    const streamed = await fetch(`${server.url}/notes`, {
      method: "POST",
      headers: { authorization: "Bearer alice", ...json },
      body: chunks,
      duplex: "half",
    } as RequestInit)
    expect(streamed.status).toBe(413)
    expect(await streamed.json()).toMatchObject({ code: "payload_too_large" })
  })

  it("carries versions as strong ETags and refuses a stale If-Match with 412", async () => {
    const read = await call(`/conversations/${conversationId}`, { token: "alice" })
    const etag = read.headers.get("etag")!
    expect(etag).toMatch(/^"\d+"$/)
    const ok = await call(`/conversations/${conversationId}/status`, {
      method: "PUT",
      token: "alice",
      headers: { ...json, "if-match": etag },
      body: JSON.stringify({ status: "pending" }),
    })
    expect(ok.status).toBe(200)
    expect(ok.headers.get("etag")).not.toBe(etag)
    const stale = await call(`/conversations/${conversationId}/status`, {
      method: "PUT",
      token: "alice",
      headers: { ...json, "if-match": etag },
      body: JSON.stringify({ status: "open" }),
    })
    expect(stale.status).toBe(412)
    expect(await stale.json()).toMatchObject({ code: "version_conflict" })
    const garbage = await call(`/conversations/${conversationId}/status`, {
      method: "PUT",
      token: "alice",
      headers: { ...json, "if-match": "3" },
      body: JSON.stringify({ status: "open" }),
    })
    expect(garbage.status).toBe(400)
    expect(await garbage.json()).toMatchObject({ code: "validation_failed", issues: [{ path: ["If-Match"] }] })
  })

  it("replays a creation sent twice with the same Idempotency-Key", async () => {
    const send = (body: string) =>
      call("/notes", {
        method: "POST",
        token: "alice",
        headers: { ...json, "idempotency-key": "note-42" },
        body: JSON.stringify({ subject: { kind: "contact", id: contactId }, body }),
      })
    const first = await send("Prefers e-mail")
    const second = await send("Prefers e-mail")
    expect(first.status).toBe(201)
    expect(await second.json()).toEqual(await first.json())
    const other = await send("Something else")
    expect(other.status).toBe(409)
    expect(await other.json()).toMatchObject({ code: "idempotency_conflict" })
  })

  it("sends thousands of bad requests: every one a 4xx problem, never a 5xx, nothing written", async () => {
    const before = await rmc.readOutbox(0, 100_000)
    const names = Object.keys(routes) as Array<OperationName>
    // Routes whose whole input travels in the JSON body and the path: any invalid input is a bad request.
    const bodyRoutes = names.filter((name) => routes[name].method !== "GET" && routes[name].method !== "DELETE")
    // Routes about one record: someone else's id, or no credentials, is a bad request.
    const recordRoutes = names.filter((name) => routes[name].path.includes("{"))
    const badRequest = fc.oneof(
      // an invalid input for a real route
      fc
        .constantFrom(...bodyRoutes)
        .chain((name) => fc.tuple(fc.constant(name), invalidInput(name), fc.constantFrom("root", "alice")))
        .map(([name, input, token]) => ({ name, input, token, raw: undefined as string | undefined })),
      // malformed or hostile bodies, missing or wrong credentials, unknown ids, another tenant's ids
      fc.record({
        name: fc.constantFrom(...recordRoutes),
        input: fc.constant({ conversationId, contactId, noteId: conversationId, keywordId: contactId }),
        token: fc.constantFrom("eve", "nobody", ""),
        raw: fc.option(fc.oneof(fc.string(), fc.constant("{"), fc.constant("[1,2]"), fc.constant("null"), fc.constant(`{"a":"${"x".repeat(70_000)}"}`)), {
          nil: undefined,
        }),
      }),
    )
    await fc.assert(
      fc.asyncProperty(badRequest, async ({ name, input, token, raw }) => {
        const route = routes[name]
        const values = (typeof input === "object" && input !== null ? input : {}) as Record<string, unknown>
        const path = route.path.replace(/\{(\w+)\}/g, (_, p: string) =>
          encodeURIComponent(String(values[p] ?? values[route.params?.[p]?.split(".")[0] ?? p] ?? "x")),
        )
        const hasBody = route.method !== "GET" && route.method !== "DELETE"
        const response = await call(
          path +
            (hasBody
              ? ""
              : `?${new URLSearchParams(Object.entries(values).map(([k, v]) => [k, typeof v === "object" ? JSON.stringify(v) : String(v)])).toString()}`),
          {
            method: route.method,
            token: token === "" ? undefined : token,
            headers: json,
            ...(hasBody && { body: raw ?? JSON.stringify(input) }),
          },
        )
        expect(response.status, `${route.method} ${path}`).toBeGreaterThanOrEqual(400)
        expect(response.status, `${route.method} ${path}`).toBeLessThan(500)
        expect(response.headers.get("content-type")).toBe("application/problem+json")
        const problem = await response.json()
        expect(typeof problem.code).toBe("string")
        expect(JSON.stringify(problem)).not.toMatch(/at .+\.ts:\d+|Error:/)
      }),
      { numRuns: numRuns * 80 },
    )
    expect(await rmc.readOutbox(0, 100_000)).toEqual(before)
  })
})

describe("the typed client", () => {
  it("fails with a typed error when the server is too slow, unreachable or the call is aborted", async () => {
    const slow = createServer((_request, response) => {
      setTimeout(() => response.end("{}"), 2_000)
    })
    await new Promise<void>((resolve) => slow.listen(0, "127.0.0.1", resolve))
    const url = `http://127.0.0.1:${(slow.address() as AddressInfo).port}`
    const started = Date.now()
    const timedOut = await createRmcClient({ baseUrl: url, timeoutMs: 200 })
      .listLabels({})
      .catch((e: unknown) => e)
    expect(timedOut).toBeInstanceOf(HttpClientError)
    expect(timedOut).toMatchObject({ reason: "timeout" })
    expect(Date.now() - started).toBeLessThan(1_500)
    const controller = new AbortController()
    const pending = createRmcClient({ baseUrl: url, signal: controller.signal }).listLabels({})
    controller.abort()
    await expect(pending).rejects.toMatchObject({ reason: "aborted" })
    slow.closeAllConnections()
    slow.close()
    await expect(createRmcClient({ baseUrl: url, timeoutMs: 1_000 }).listLabels({})).rejects.toMatchObject({ reason: "network" })
  })
})
