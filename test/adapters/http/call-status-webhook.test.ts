import { createHmac } from "node:crypto"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { createCallStatusWebhook, signWebhook } from "../../../src/adapters/http"
import { type NodeServer, serveNode } from "../../../src/adapters/http/node"
import { memoryStorage } from "../../../src/adapters/memory"
import { createRmc } from "../../../src/facade/create-rmc"

describe("the call-status webhook receiver, strictly", () => {
  const secret = "whsec_strict"
  const rmc = createRmc({ storage: memoryStorage() })
  let receiver: NodeServer
  beforeAll(async () => {
    receiver = await serveNode(createCallStatusWebhook({ rmc, secrets: [secret] }))
  })
  afterAll(async () => {
    await receiver.close()
    await rmc.dispose()
  })

  // A report on a call the SDK does not know: once the delivery is accepted, it answers 404.
  const body = JSON.stringify({ tenantId: "acme", providerCallId: "unknown-call", status: "ringing", at: "2026-03-01T10:00:00Z" })
  const now = () => Math.floor(Date.now() / 1000)
  const post = (headers: Record<string, string>, payload: BodyInit = body, extra: RequestInit = {}) =>
    fetch(`${receiver.url}/`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: payload, ...extra })
  const digest = (timestamp: number, payload = body) => createHmac("sha256", secret).update(`${timestamp}.${payload}`).digest("hex")

  it("accepts a well-signed delivery (and answers for the report)", async () => {
    expect((await post(await signWebhook(secret, body, now()))).status).toBe(404)
    const timestamp = now()
    expect((await post({ "x-rmc-timestamp": String(timestamp), "x-rmc-signature": `v1=${digest(timestamp).toUpperCase()}` })).status).toBe(404)
  })

  it("answers 405 with Allow: POST to every other method", async () => {
    for (const method of ["GET", "PUT", "PATCH", "DELETE", "OPTIONS"]) {
      const response = await fetch(`${receiver.url}/`, { method, ...(method === "GET" ? {} : { body: method === "OPTIONS" ? null : body }) })
      expect(response.status, method).toBe(405)
      expect(response.headers.get("allow")).toBe("POST")
      expect(response.headers.get("content-type")).toBe("application/problem+json")
      expect(await response.json()).toMatchObject({ status: 405, code: "method_not_allowed" })
    }
  })

  it("answers 413 to a body over 64 KiB, whether or not its length is announced", async () => {
    const large = JSON.stringify({ tenantId: "acme", providerCallId: "c", status: "ringing", at: "2026-03-01T10:00:00Z", padding: "x".repeat(70_000) })
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
      { tenantId: "acme", providerCallId: "call\u0000", status: "ringing", at: "2026-03-01T10:00:00Z" },
      { tenantId: "acme", providerCallId: "call", status: "failed", at: "2026-03-01T10:00:00Z", reason: "busy\u001B" },
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
