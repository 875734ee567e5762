import { createHmac } from "node:crypto"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { createCallStatusWebhook, signWebhook } from "../../../src/adapters/http"
import { type NodeServer, serveNode } from "../../../src/adapters/http/node"
import { memoryStorage, memoryTelephony } from "../../../src/adapters/memory"
import { createRmc } from "../../../src/facade/create-rmc"

describe("the call-status webhook receiver, strictly", () => {
  const secret = "whsec_strict"
  const rmc = createRmc({ storage: memoryStorage() })
  let receiver: NodeServer
  beforeAll(async () => {
    receiver = await serveNode(createCallStatusWebhook({ rmc, secrets: { acme: [secret] } }))
  })
  afterAll(async () => {
    await receiver.close()
    await rmc.dispose()
  })

  // A report on a call the SDK does not know: once the delivery is accepted, it answers 404.
  const body = JSON.stringify({ providerCallId: "unknown-call", status: "ringing", at: "2026-03-01T10:00:00Z" })
  const now = () => Math.floor(Date.now() / 1000)
  const post = (headers: Record<string, string>, payload: BodyInit = body, extra: RequestInit = {}) =>
    fetch(`${receiver.url}/acme`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: payload, ...extra })
  const digest = (timestamp: number, payload = body) => createHmac("sha256", secret).update(`${timestamp}.${payload}`).digest("hex")

  it("accepts a well-signed delivery (and answers for the report)", async () => {
    expect((await post(await signWebhook(secret, body, now()))).status).toBe(404)
    const timestamp = now()
    expect((await post({ "x-rmc-timestamp": String(timestamp), "x-rmc-signature": `v1=${digest(timestamp).toUpperCase()}` })).status).toBe(404)
  })

  it("answers 405 with Allow: POST to every other method", async () => {
    for (const method of ["GET", "PUT", "PATCH", "DELETE", "OPTIONS"]) {
      const response = await fetch(`${receiver.url}/acme`, { method, ...(method === "GET" ? {} : { body: method === "OPTIONS" ? null : body }) })
      expect(response.status, method).toBe(405)
      expect(response.headers.get("allow")).toBe("POST")
      expect(response.headers.get("content-type")).toBe("application/problem+json")
      expect(await response.json()).toMatchObject({ status: 405, code: "method_not_allowed" })
    }
  })

  it("answers 413 to a body over 64 KiB, whether or not its length is announced", async () => {
    const large = JSON.stringify({ providerCallId: "c", status: "ringing", at: "2026-03-01T10:00:00Z", padding: "x".repeat(70_000) })
    const announced = await post(await signWebhook(secret, large, now()), large)
    expect(announced.status).toBe(413)
    expect(await announced.json()).toMatchObject({ status: 413, code: "payload_too_large" })
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 20; i++) controller.enqueue(new TextEncoder().encode("x".repeat(4096)))
        controller.close()
      },
    })
    const streamed = await post(await signWebhook(secret, "", now()), chunks, { duplex: "half" } as RequestInit)
    expect(streamed.status).toBe(413)
  })

  // (White space around a header value is not part of it in HTTP: fetch and Node strip it.)
  it("refuses a signature with anything before, after or inside the digest", async () => {
    const timestamp = now()
    const valid = digest(timestamp)
    const other = createHmac("sha256", "whsec_other").update(`${timestamp}.${body}`).digest("hex")
    for (const signature of [
      `v1=${valid}zz`,
      `v1=${valid}g`,
      `v1=${valid}-garbage`,
      `v1=${valid},v1=${other}`,
      `v1=${valid.slice(0, 63)}`,
      `v1=${valid}0`,
      `v1= ${valid}`,
      `${valid}`,
      `v2=${valid}`,
      `xv1=${valid}`,
      `v1=${valid.slice(0, 32)}zz${valid.slice(34)}`,
    ]) {
      const response = await post({ "x-rmc-timestamp": String(timestamp), "x-rmc-signature": signature })
      expect(response.status, JSON.stringify(signature)).toBe(401)
    }
  })

  it("refuses a timestamp that is not plain digits", async () => {
    const timestamp = now()
    for (const written of [`${timestamp}.0`, `${timestamp / 1e9}e9`, `0x${timestamp.toString(16)}`, `+${timestamp}`]) {
      const signature = `v1=${createHmac("sha256", secret).update(`${written}.${body}`).digest("hex")}`
      const response = await post({ "x-rmc-timestamp": written, "x-rmc-signature": signature })
      expect(response.status, written).toBe(401)
    }
  })

  it("refuses a report holding a control character with a 400 problem, writing nothing", async () => {
    const before = await rmc.readOutbox(0, 10_000)
    for (const report of [
      { providerCallId: "call\u0000", status: "ringing", at: "2026-03-01T10:00:00Z" },
      { providerCallId: "call", status: "failed", at: "2026-03-01T10:00:00Z", reason: "busy\u001B" },
      { tenantId: "ac\u0000me", providerCallId: "call", status: "ringing", at: "2026-03-01T10:00:00Z" },
    ]) {
      const payload = JSON.stringify(report)
      const response = await post(await signWebhook(secret, payload, now()), payload)
      expect(response.status).toBe(400)
      expect(await response.json()).toMatchObject({ code: "validation_failed" })
    }
    expect(await rmc.readOutbox(0, 10_000)).toEqual(before)
  })
})

describe("the call-status webhook receiver, per tenant", () => {
  const rmc = createRmc({ storage: memoryStorage(), telephony: memoryTelephony() })
  const secrets: Record<string, ReadonlyArray<string>> = { acme: ["whsec_acme_next", "whsec_acme"], globex: ["whsec_globex"] }
  let lookups: Array<string> = []
  let storeDown = false
  let receiver: NodeServer
  let callOf: (tenantId: string) => Promise<{ providerCallId: string; conversationId: string }>
  beforeAll(async () => {
    const webhook = createCallStatusWebhook({
      rmc,
      secrets: async (tenantId) => {
        lookups.push(tenantId)
        if (storeDown) throw new Error("secret store unreachable")
        return Object.hasOwn(secrets, tenantId) ? secrets[tenantId] : null
      },
    })
    receiver = await serveNode(webhook)
    callOf = async (tenantId) => {
      const agent = rmc.as({ tenantId, agentId: "alice", role: "agent" })
      const contact = await agent.createContact({ fullName: "Camille Martin", primaryPhone: "+33612345678" })
      const conversation = await agent.openConversation({ contactId: contact.id, channel: "voice" })
      const call = await agent.callContact({ conversationId: conversation.id, idempotencyKey: `call-${tenantId}` })
      return { providerCallId: call.providerCallId!, conversationId: conversation.id }
    }
  })
  afterAll(async () => {
    await receiver.close()
    await rmc.dispose()
  })

  const now = () => Math.floor(Date.now() / 1000)
  const deliver = async (path: string, secret: string, report: Record<string, unknown>) => {
    const body = JSON.stringify(report)
    return fetch(`${receiver.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(await signWebhook(secret, body, now())) },
      body,
    })
  }
  const statusOfCall = async (tenantId: string, conversationId: string) =>
    (await rmc.as({ tenantId, agentId: "alice", role: "agent" }).listCalls({ conversationId })).items[0]?.status

  it("applies a delivery signed with the tenant's own secret, the current one or the previous one", async () => {
    const { providerCallId, conversationId } = await callOf("acme")
    expect((await deliver("/acme", "whsec_acme", { providerCallId, status: "ringing", at: new Date().toISOString() })).status).toBe(204)
    expect((await deliver("/acme", "whsec_acme_next", { providerCallId, status: "answered", at: new Date().toISOString() })).status).toBe(204)
    expect(await statusOfCall("acme", conversationId)).toBe("answered")
  })

  it("never lets one tenant's secret report on another tenant's calls, whatever the payload says", async () => {
    const { providerCallId, conversationId } = await callOf("globex")
    const before = await rmc.readOutbox(0, 10_000)
    const report = { providerCallId, status: "failed", at: new Date().toISOString() }
    // acme's secret on globex's URL, and acme's URL with globex's call (acme has no such call).
    expect((await deliver("/globex", "whsec_acme", report)).status).toBe(401)
    expect((await deliver("/acme", "whsec_acme", report)).status).toBe(404)
    // A payload naming another tenant than its URL is refused, however it is signed.
    const claimed = await deliver("/acme", "whsec_acme", { ...report, tenantId: "globex" })
    expect(claimed.status).toBe(400)
    expect(await claimed.json()).toMatchObject({ code: "validation_failed" })
    expect((await deliver("/globex", "whsec_globex", { ...report, tenantId: "acme" })).status).toBe(400)
    expect(await statusOfCall("globex", conversationId)).toBe("dialing")
    expect(await rmc.readOutbox(0, 10_000)).toEqual(before)
    // The right URL and the right secret: the same report applies.
    expect((await deliver("/globex", "whsec_globex", { ...report, tenantId: "globex" })).status).toBe(204)
    expect(await statusOfCall("globex", conversationId)).toBe("failed")
  })

  it("answers 401 for a tenant without secrets, as for a wrong signature, and 404 when the URL names no tenant", async () => {
    const report = { providerCallId: "c-1", status: "ringing", at: new Date().toISOString() }
    for (const path of ["/initech", "/constructor", "/__proto__", "/toString"]) {
      const response = await deliver(path, "whsec_acme", report)
      expect(response.status, path).toBe(401)
      expect(await response.json()).toMatchObject({ code: "invalid_signature" })
    }
    expect((await deliver("/", "whsec_acme", report)).status).toBe(404)
    expect((await deliver("/%E0%A4%A", "whsec_acme", report)).status).toBe(404)
    expect((await deliver(`/${"x".repeat(300)}`, "whsec_acme", report)).status).toBe(404)
  })

  it("answers 503 with Retry-After when the secret store fails, applying nothing", async () => {
    const { providerCallId, conversationId } = await callOf("acme-2")
    secrets["acme-2"] = ["whsec_acme_2"]
    storeDown = true
    const response = await deliver("/acme-2", "whsec_acme_2", { providerCallId, status: "answered", at: new Date().toISOString() })
    storeDown = false
    expect(response.status).toBe(503)
    expect(response.headers.get("retry-after")).toBe("5")
    expect(await statusOfCall("acme-2", conversationId)).toBe("dialing")
  })

  it("looks up the secrets of the tenant named by the URL, and only that one", async () => {
    lookups = []
    await deliver("/globex", "whsec_globex", { tenantId: "acme", providerCallId: "c-2", status: "ringing", at: new Date().toISOString() })
    expect(lookups).toEqual(["globex"])
  })

  it("reads the tenant where tenantOf says: a host name", async () => {
    const byHost = createCallStatusWebhook({
      rmc,
      secrets: secrets,
      tenantOf: (request) => new URL(request.url).hostname.split(".")[0] ?? null,
    })
    const body = JSON.stringify({ providerCallId: "unknown", status: "ringing", at: new Date().toISOString() })
    const signed = await signWebhook("whsec_globex", body, now())
    const request = (host: string) => new Request(`https://${host}/call-status`, { method: "POST", headers: signed, body })
    expect((await byHost.fetch(request("globex.hooks.example.com"))).status).toBe(404)
    expect((await byHost.fetch(request("acme.hooks.example.com"))).status).toBe(401)
  })
})
