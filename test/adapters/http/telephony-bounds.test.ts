import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { Effect, Layer } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { makeHttpTelephony } from "../../../src/adapters/http"
import { makeMemoryStorage } from "../../../src/adapters/memory"
import { maxProviderCallIdLength } from "../../../src/domain/call/call-attempt"
import { CallRejectedError, TelephonyUnavailableError } from "../../../src/domain/shared/errors"
import { createRmc } from "../../../src/facade/create-rmc"
import { Storage } from "../../../src/ports/storage"
import { Telephony } from "../../../src/ports/telephony"

type Handler = (request: IncomingMessage, response: ServerResponse) => void

/** A server on a loopback address that answers with whatever `handler` is set to, counting requests. */
const serve = async (host: string) => {
  const state: { handler: Handler; requests: number } = { handler: (_, res) => res.end(), requests: 0 }
  const server: Server = createServer((req, res) => {
    state.requests++
    req.resume()
    req.on("end", () => state.handler(req, res))
  })
  await new Promise<void>((resolve) => server.listen(0, host, resolve))
  const url = `http://${host}:${(server.address() as AddressInfo).port}`
  return { state, url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) }
}

const request = () => ({
  tenantId: "acme",
  agentId: "alice",
  callId: crypto.randomUUID(),
  conversationId: crypto.randomUUID(),
  to: "+33612345678",
  idempotencyKey: crypto.randomUUID(),
})

describe("httpTelephony bounds what it follows and what it keeps", () => {
  let platform: Awaited<ReturnType<typeof serve>>
  let elsewhere: Awaited<ReturnType<typeof serve>>
  beforeAll(async () => {
    platform = await serve("127.0.0.1")
    elsewhere = await serve("127.0.0.2")
  })
  afterAll(async () => {
    await platform.close()
    await elsewhere.close()
  })
  const dial = () =>
    Effect.runPromise(Effect.result(makeHttpTelephony({ baseUrl: platform.url, credentials: { bearer: "s3cr3t" }, backoffMs: 1, retries: 2 }).dial(request())))

  for (const status of [301, 302, 307, 308]) {
    it(`never follows a ${status} to another host: a typed error, nothing sent there, no retry`, async () => {
      platform.state.requests = 0
      elsewhere.state.requests = 0
      elsewhere.state.handler = (_, res) => res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ id: "stolen" }))
      platform.state.handler = (_, res) => res.writeHead(status, { location: `${elsewhere.url}/calls` }).end()
      const result = await dial()
      expect(result._tag).toBe("Failure")
      const error = (result as { failure: unknown }).failure
      expect(error).toBeInstanceOf(TelephonyUnavailableError)
      expect(error).toMatchObject({ outcome: "not_placed" })
      expect(elsewhere.state.requests).toBe(0)
      expect(platform.state.requests).toBe(1)
    })
  }

  it("takes a 303 as an answer whose outcome is unknown", async () => {
    platform.state.handler = (_, res) => res.writeHead(303, { location: `${elsewhere.url}/calls/1` }).end()
    const result = await dial()
    expect((result as { failure: unknown }).failure).toMatchObject({ code: "telephony_unavailable", outcome: "unknown" })
  })

  it("keeps at most 200 characters of a 2 MB refusal reason", async () => {
    platform.state.handler = (_, res) => res.writeHead(422, { "content-type": "application/json" }).end(JSON.stringify({ reason: "x".repeat(2 * 1024 * 1024) }))
    const result = await dial()
    const error = (result as { failure: unknown }).failure
    expect(error).toBeInstanceOf(CallRejectedError)
    expect((error as CallRejectedError).reason.length).toBeLessThanOrEqual(200)
  })

  it("does not read an oversized answer: a call that may have been placed", async () => {
    platform.state.handler = (_, res) =>
      res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ id: "c-1", padding: "p".repeat(1024 * 1024) }))
    const result = await Effect.runPromise(
      Effect.result(makeHttpTelephony({ baseUrl: platform.url, retries: 0, platformHonoursIdempotencyKey: false }).dial(request())),
    )
    expect((result as { failure: unknown }).failure).toMatchObject({ code: "telephony_unavailable", outcome: "unknown" })
  })

  it("a call id over 200 characters from the platform: the call is recorded and status reports find it", async () => {
    const longId = `call-${"z".repeat(300)}`
    platform.state.handler = (_, res) => res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ id: longId }))
    const rmc = createRmc({
      storage: Layer.succeed(Storage, makeMemoryStorage()),
      telephony: Layer.succeed(Telephony, makeHttpTelephony({ baseUrl: platform.url })),
    })
    const alice = rmc.as({ tenantId: "acme", agentId: "alice", role: "agent" })
    const contact = await alice.createContact({ fullName: "Camille Martin", primaryPhone: "06 12 34 56 78" })
    const conversation = await alice.openConversation({ contactId: contact.id, channel: "voice" })
    const call = await alice.callContact({ conversationId: conversation.id, idempotencyKey: "long-id" })
    expect(call.status).toBe("dialing")
    expect(call.providerCallId!.length).toBeLessThanOrEqual(maxProviderCallIdLength)
    const webhook = rmc.as({ tenantId: "acme", agentId: "voip-webhook", role: "supervisor" })
    expect(await webhook.recordCallStatus({ providerCallId: longId, status: "answered", at: new Date().toISOString() })).toMatchObject({
      id: call.id,
      status: "answered",
    })
  })
})
