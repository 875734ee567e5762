import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { Effect, Layer } from "effect"
import fc from "fast-check"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { createCallStatusWebhook, makeHttpTelephony } from "../../../src/adapters/http"
import { type NodeServer, serveNode } from "../../../src/adapters/http/node"
import { memoryStorage } from "../../../src/adapters/memory"
import { CallRejectedError, TelephonyUnavailableError } from "../../../src/domain/shared/errors"
import { createRmc } from "../../../src/facade/create-rmc"
import { Telephony } from "../../../src/ports/telephony"
import { type FakeVoipServer, startFakeVoipServer, type VoipFault } from "../../../src/testing"

const numRuns = Number(process.env.RMC_NUM_RUNS ?? 25)
const request = (key: string) => ({
  tenantId: "acme",
  agentId: "alice",
  callId: crypto.randomUUID(),
  conversationId: crypto.randomUUID(),
  to: "+33612345678",
  idempotencyKey: key,
})
const timing = { attemptTimeoutMs: 150, deadlineMs: 1_200, backoffMs: 5, retries: 4 }

describe("telephony over HTTP against a faulty VoIP platform", () => {
  let voip: FakeVoipServer
  let careless: FakeVoipServer
  beforeAll(async () => {
    voip = await startFakeVoipServer()
    careless = await startFakeVoipServer({ honoursIdempotencyKey: false })
  })
  afterAll(async () => {
    await voip.close()
    await careless.close()
  })
  const dial = (server: FakeVoipServer, key: string, honours = true) =>
    Effect.runPromise(Effect.result(makeHttpTelephony({ baseUrl: server.url, ...timing, platformHonoursIdempotencyKey: honours }).dial(request(key))))
  // The platform sees the tenant's key prefixed with the tenant.
  const placedWith = (server: FakeVoipServer, key: string) => server.placed.filter((c) => c.idempotencyKey === `acme:${key}`).length

  const recovered: Array<[string, VoipFault]> = [
    ["a slow answer within the attempt timeout", { kind: "slow", ms: 50 }],
    ["an answer slower than the attempt timeout", { kind: "slow", ms: 400 }],
    ["503 before placing", { kind: "status", status: 503, placed: false, retryAfterSeconds: 0 }],
    ["429 with Retry-After", { kind: "status", status: 429, placed: false, retryAfterSeconds: 0 }],
    ["500 after placing", { kind: "status", status: 500, placed: true }],
    ["a reset connection after placing", { kind: "reset", placed: true }],
    ["a request never answered", { kind: "hang", placed: true }],
  ]
  for (const [what, fault] of recovered) {
    it(`recovers from ${what} with exactly one call placed`, async () => {
      const key = crypto.randomUUID()
      voip.script([fault])
      const result = await dial(voip, key)
      expect(result._tag).toBe("Success")
      expect(placedWith(voip, key)).toBe(1)
    })
  }

  it("takes a 4xx as the platform refusing the call, without retrying", async () => {
    const key = crypto.randomUUID()
    const before = voip.requests
    voip.script([{ kind: "status", status: 422, placed: false }])
    const result = await dial(voip, key)
    expect(result._tag === "Failure" && result.failure).toBeInstanceOf(CallRejectedError)
    expect(result._tag === "Failure" && result.failure).toMatchObject({ reason: "invalid_number" })
    expect(voip.requests - before).toBe(1)
    expect(placedWith(voip, key)).toBe(0)
  })

  it("never retries an ambiguous failure on a platform that ignores idempotency keys", async () => {
    for (const fault of [
      { kind: "reset", placed: true },
      { kind: "status", status: 502, placed: true },
      { kind: "hang", placed: true },
    ] as const) {
      const key = crypto.randomUUID()
      careless.script([fault])
      const result = await dial(careless, key, false)
      expect(result._tag === "Failure" && result.failure).toBeInstanceOf(TelephonyUnavailableError)
      expect(result._tag === "Failure" && result.failure).toMatchObject({ outcome: "unknown" })
      expect(placedWith(careless, key)).toBe(1)
    }
    const key = crypto.randomUUID()
    careless.script([{ kind: "status", status: 503, placed: false, retryAfterSeconds: 0 }])
    expect((await dial(careless, key, false))._tag).toBe("Success")
    expect(placedWith(careless, key)).toBe(1)
  })

  it("fails within the deadline, saying whether a call may have been placed", async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    const unreachable = makeHttpTelephony({ baseUrl: `http://127.0.0.1:${port}`, ...timing })
    const refused = await Effect.runPromise(Effect.flip(unreachable.dial(request("k"))))
    expect(refused).toMatchObject({ code: "telephony_unavailable", outcome: "not_placed" })
    const key = crypto.randomUUID()
    voip.script(Array.from({ length: 10 }, () => ({ kind: "hang", placed: false }) as const))
    const started = Date.now()
    const result = await dial(voip, key)
    expect(Date.now() - started).toBeLessThan(timing.deadlineMs + 500)
    expect(result._tag === "Failure" && result.failure).toMatchObject({ outcome: "unknown" })
    voip.script([])
  })

  it("places at most one call per key and answers within the deadline, whatever the faults", async () => {
    const fault: fc.Arbitrary<VoipFault> = fc.oneof(
      fc.constant({ kind: "ok" } as const),
      fc.integer({ min: 0, max: 300 }).map((ms) => ({ kind: "slow", ms }) as const),
      // 429 and 503 say the platform placed nothing; other 5xx leave it unknown
      fc.record({ kind: fc.constant("status" as const), status: fc.constantFrom(429, 503), placed: fc.constant(false), retryAfterSeconds: fc.constant(0) }),
      fc.record({ kind: fc.constant("status" as const), status: fc.constantFrom(500, 502, 504), placed: fc.boolean() }),
      fc.record({ kind: fc.constant("reset" as const), placed: fc.boolean() }),
      fc.record({ kind: fc.constant("hang" as const), placed: fc.boolean() }),
    )
    await fc.assert(
      fc.asyncProperty(fc.array(fault, { maxLength: 6 }), fc.boolean(), async (faults, honours) => {
        const server = honours ? voip : careless
        const key = crypto.randomUUID()
        server.script(faults)
        const started = Date.now()
        const result = await dial(server, key, honours)
        expect(Date.now() - started).toBeLessThan(timing.deadlineMs + 600)
        expect(placedWith(server, key)).toBeLessThanOrEqual(1)
        if (result._tag === "Success") expect(placedWith(server, key)).toBe(1)
        else expect(result.failure).toBeInstanceOf(TelephonyUnavailableError)
        server.script([])
      }),
      { numRuns: Math.min(numRuns, 15) },
    )
  })
})

describe("the call-status webhook", () => {
  const secret = "whsec_test"
  let voip: FakeVoipServer
  let receiver: NodeServer
  const rmc = createRmc({
    storage: memoryStorage(),
    telephony: Layer.suspend(() => Layer.succeed(Telephony, makeHttpTelephony({ baseUrl: voip.url, ...timing }))),
  })
  beforeAll(async () => {
    voip = await startFakeVoipServer()
    receiver = await serveNode(createCallStatusWebhook({ rmc, secrets: { acme: ["whsec_next", secret] } }))
  })
  afterAll(async () => {
    await receiver.close()
    await voip.close()
    await rmc.dispose()
  })

  it("follows a call placed through the platform to its end, through duplicates and disorder", async () => {
    const alice = rmc.as({ tenantId: "acme", agentId: "alice", role: "agent" })
    const contact = await alice.createContact({ fullName: "Camille Martin", primaryPhone: "0612345678" })
    const conversation = await alice.openConversation({ contactId: contact.id, channel: "voice" })
    voip.script([{ kind: "reset", placed: true }])
    const call = await alice.callContact({ conversationId: conversation.id, idempotencyKey: "call-1" })
    expect(voip.placed.filter((c) => c.idempotencyKey === "acme:call-1")).toHaveLength(1)
    expect(call).toMatchObject({ status: "dialing", providerCallId: voip.placed.at(-1)!.callId })
    const report = (status: string, second: number) => ({
      tenantId: "acme",
      providerCallId: call.providerCallId,
      status,
      at: `2026-03-01T10:00:${String(second).padStart(2, "0")}Z`,
    })
    const statuses = await voip.deliver(`${receiver.url}/acme`, secret, [
      report("answered", 5),
      report("ringing", 1),
      report("answered", 5),
      report("completed", 40),
      report("ringing", 1),
      report("completed", 40),
    ])
    expect(statuses).toEqual([204, 204, 204, 204, 204, 204])
    const [final] = (await alice.listCalls({ conversationId: conversation.id })).items
    expect(final?.status).toBe("completed")
    const changes = (await alice.conversationActivity({ conversationId: conversation.id })).items.filter((e) => e.type === "call.status_changed")
    expect(changes.map((e) => e.after?.status)).toEqual(["completed", "answered", "dialing"])
  })

  it("refuses a bad signature, a replay outside the window and a malformed body, writing nothing", async () => {
    const before = await rmc.readOutbox(0, 10_000)
    const report = { tenantId: "acme", providerCallId: "voip-1", status: "failed", at: "2026-03-01T10:00:00Z" }
    expect(await voip.deliver(`${receiver.url}/acme`, secret, [report], { tamper: true })).toEqual([401])
    expect(await voip.deliver(`${receiver.url}/acme`, "wrong-secret", [report])).toEqual([401])
    expect(await voip.deliver(`${receiver.url}/acme`, secret, [report], { timestamp: Math.floor(Date.now() / 1000) - 3_600 })).toEqual([401])
    expect(await voip.deliver(`${receiver.url}/acme`, secret, [{ ...report, status: "exploded" }])).toEqual([400])
    const unsigned = await fetch(`${receiver.url}/acme`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(report) })
    expect(unsigned.status).toBe(401)
    expect(unsigned.headers.get("content-type")).toBe("application/problem+json")
    expect(await voip.deliver(`${receiver.url}/acme`, secret, [{ ...report, providerCallId: "unknown-call" }])).toEqual([404])
    expect(await rmc.readOutbox(0, 10_000)).toEqual(before)
  })
})
