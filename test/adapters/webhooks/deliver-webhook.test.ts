import { createServer, type IncomingHttpHeaders, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { Effect } from "effect"
import { Webhook } from "standardwebhooks"
import { uuidv7 } from "uuidv7"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  deliverWebhook,
  deliverWebhooksInOrder,
  type WebhookEndpoint,
  type WebhookRetryPolicy,
  webhookRetryDelay,
} from "../../../src/adapters/webhooks/deliver-webhook"
import { serveNode } from "../../../src/adapters/http/node"
import { receiveEventWebhook } from "../../../src/adapters/webhooks/receive-event-webhook"
import { generateWebhookSecret } from "../../../src/adapters/webhooks/standard-webhooks"
import type { ActivityType } from "../../../src/domain/activity/activity-event"
import { EventEnvelope } from "../../../src/domain/events/event-envelope"
import { toEventEnvelope } from "../../../src/domain/events/to-event-envelope"

type Behaviour = "ok" | "500" | "503-retry-after" | "400" | "redirect" | "reset" | "slow"
interface Received {
  readonly path: string
  readonly headers: IncomingHttpHeaders
  readonly body: string
}

/** A real receiver on 127.0.0.1 answering each request with the next behaviour of its path's script. */
class Receiver {
  readonly received: Array<Received> = []
  readonly scripts = new Map<string, Array<Behaviour>>()
  server!: Server
  url = ""

  async start() {
    this.server = createServer((request, response) => {
      let body = ""
      request.setEncoding("utf8")
      request.on("data", (chunk: string) => (body += chunk))
      request.on("end", () => {
        const path = request.url ?? "/"
        this.received.push({ path, headers: request.headers, body })
        const behaviour = this.scripts.get(path)?.shift() ?? "ok"
        switch (behaviour) {
          case "ok":
            return response.writeHead(204).end()
          case "500":
            return response.writeHead(500).end("boom")
          case "503-retry-after":
            return response.writeHead(503, { "retry-after": "1" }).end()
          case "400":
            return response.writeHead(400).end("bad")
          case "redirect":
            return response.writeHead(307, { location: `${this.url}/elsewhere` }).end()
          case "reset":
            return request.socket.destroy()
          case "slow":
            return void setTimeout(() => response.writeHead(204).end(), 1_500)
        }
      })
    })
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve))
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
  }

  on(path: string, ...behaviours: Array<Behaviour>) {
    this.scripts.set(path, behaviours)
    return `${this.url}${path}`
  }

  at(path: string) {
    return this.received.filter((r) => r.path === path)
  }
}

const receiver = new Receiver()
beforeAll(() => receiver.start())
afterAll(() => new Promise<void>((resolve) => receiver.server.close(() => resolve())))

const quick: WebhookRetryPolicy = { maxAttempts: 3, initialDelayMs: 20, maxDelayMs: 200, jitter: 0.5 }
const secret = generateWebhookSecret()

const envelope = (type: ActivityType = "conversation.status_changed", after: Record<string, unknown> = { status: "resolved" }, tenantId = "acme") =>
  toEventEnvelope({
    id: uuidv7(),
    tenantId,
    type,
    at: new Date().toISOString(),
    actorId: "alice",
    actorRole: "agent",
    subjectId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11",
    conversationId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11",
    contactId: null,
    before: null,
    after,
  })

const endpoint = (url: string, extra: Partial<WebhookEndpoint> = {}): WebhookEndpoint => ({ url, secrets: [secret], ...extra })
const run = <A>(effect: Effect.Effect<A>) => Effect.runPromise(effect)

describe("webhook delivery to real servers", () => {
  it("delivers a signed request that the official verifier accepts, with the event id as webhook-id", async () => {
    const event = envelope()
    const outcome = await run(deliverWebhook(endpoint(receiver.on("/ok", "ok")), event, { attempt: 1, policy: quick }))
    expect(outcome).toMatchObject({ _tag: "Delivered", eventId: event.id, attempt: 1, status: 204 })
    const [request] = receiver.at("/ok")
    expect(request!.headers["webhook-id"]).toBe(event.id)
    expect(request!.headers["content-type"]).toBe("application/json")
    const verified = new Webhook(secret).verify(request!.body, request!.headers as Record<string, string>)
    expect(EventEnvelope.parse(verified)).toEqual({ ...event, audience: "shareable" })
  })

  it("retries 5xx with a growing, jittered delay, then dead-letters after the last attempt", async () => {
    const url = receiver.on("/down", "500", "500", "500", "500")
    const event = envelope()
    const first = await run(deliverWebhook(endpoint(url), event, { attempt: 1, policy: quick }))
    expect(first).toMatchObject({ _tag: "RetryLater", attempt: 1, failure: { kind: "status", status: 500 } })
    if (first._tag !== "RetryLater") throw new Error("unreachable")
    expect(first.retryInMs).toBeGreaterThanOrEqual(10)
    expect(first.retryInMs).toBeLessThanOrEqual(20)
    expect(Date.parse(first.retryAt)).toBeGreaterThan(Date.now() - 1_000)
    const second = await run(deliverWebhook(endpoint(url), event, { attempt: 2, policy: quick }))
    expect(second).toMatchObject({ _tag: "RetryLater", attempt: 2 })
    const third = await run(deliverWebhook(endpoint(url), event, { attempt: 3, policy: quick }))
    expect(third).toMatchObject({ _tag: "DeadLettered", attempt: 3, failure: { kind: "status", status: 500 } })
    expect(receiver.at("/down")).toHaveLength(3)
    // Every attempt carries the same webhook-id: the receiver de-duplicates retries by it.
    expect(new Set(receiver.at("/down").map((r) => r.headers["webhook-id"]))).toEqual(new Set([event.id]))
  })

  it("backs off exponentially up to the cap", () => {
    const policy: WebhookRetryPolicy = { maxAttempts: 10, initialDelayMs: 1_000, maxDelayMs: 30_000, jitter: 0.5 }
    expect([1, 2, 3, 4, 5, 6].map((n) => webhookRetryDelay(policy, n, () => 0.999999))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000])
    expect(webhookRetryDelay(policy, 3, () => 0)).toBe(2_000)
  })

  it("honours a longer Retry-After", async () => {
    const outcome = await run(deliverWebhook(endpoint(receiver.on("/busy", "503-retry-after")), envelope(), { attempt: 1, policy: quick }))
    expect(outcome).toMatchObject({ _tag: "RetryLater", retryInMs: 200, failure: { kind: "status", status: 503 } })
  })

  it("gives up on a slow receiver at the attempt's timeout and retries", async () => {
    const started = Date.now()
    const outcome = await run(deliverWebhook(endpoint(receiver.on("/slow", "slow")), envelope(), { attempt: 1, policy: quick, timeoutMs: 300 }))
    expect(Date.now() - started).toBeLessThan(1_400)
    expect(outcome).toMatchObject({ _tag: "RetryLater", failure: { kind: "timeout", timeoutMs: 300 } })
  })

  it("retries a reset connection", async () => {
    const outcome = await run(deliverWebhook(endpoint(receiver.on("/reset", "reset")), envelope(), { attempt: 1, policy: quick }))
    expect(outcome).toMatchObject({ _tag: "RetryLater", failure: { kind: "network" } })
  })

  it("retries a refused connection", async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    const outcome = await run(deliverWebhook(endpoint(`http://127.0.0.1:${port}/`), envelope(), { attempt: 1, policy: quick }))
    expect(outcome).toMatchObject({ _tag: "RetryLater", failure: { kind: "network", message: expect.stringContaining("ECONNREFUSED") } })
  })

  it("does not follow a redirect and dead-letters at once, as it does a 4xx", async () => {
    const redirected = await run(deliverWebhook(endpoint(receiver.on("/moved", "redirect")), envelope(), { attempt: 1, policy: quick }))
    expect(redirected).toMatchObject({ _tag: "DeadLettered", attempt: 1, failure: { kind: "redirect", status: 307, location: `${receiver.url}/elsewhere` } })
    expect(receiver.at("/elsewhere")).toHaveLength(0)
    const refused = await run(deliverWebhook(endpoint(receiver.on("/bad", "400")), envelope(), { attempt: 1, policy: quick }))
    expect(refused).toMatchObject({ _tag: "DeadLettered", attempt: 1, failure: { kind: "status", status: 400 } })
  })

  it("dead-letters at once for an endpoint that cannot be called: not http(s), no valid secret", async () => {
    const event = envelope()
    expect(await run(deliverWebhook({ url: "ftp://127.0.0.1/x", secrets: [secret] }, event, { attempt: 1 }))).toMatchObject({
      _tag: "DeadLettered",
      failure: { kind: "invalid_endpoint" },
    })
    expect(await run(deliverWebhook({ url: "not a url", secrets: [secret] }, event, { attempt: 1 }))).toMatchObject({
      _tag: "DeadLettered",
      failure: { kind: "invalid_endpoint" },
    })
    expect(await run(deliverWebhook({ url: receiver.on("/nosecret"), secrets: [] }, event, { attempt: 1 }))).toMatchObject({
      _tag: "DeadLettered",
      failure: { kind: "invalid_endpoint", message: "No secret to sign with" },
    })
    expect(receiver.at("/nosecret")).toHaveLength(0)
  })

  it("sends nothing for a filtered type, and internal events only to an endpoint that opted in", async () => {
    const url = receiver.on("/filtered")
    const note = envelope("note.added", { body: "private", subject: { kind: "conversation" } })
    expect(await run(deliverWebhook(endpoint(url, { eventTypes: ["label.applied"] }), envelope(), { attempt: 1 }))).toMatchObject({
      _tag: "Skipped",
      reason: "filtered",
    })
    expect(await run(deliverWebhook(endpoint(url), note, { attempt: 1 }))).toMatchObject({ _tag: "Skipped", reason: "not_shareable" })
    expect(receiver.at("/filtered")).toHaveLength(0)
    expect(await run(deliverWebhook(endpoint(url, { audience: "internal" }), note, { attempt: 1 }))).toMatchObject({ _tag: "Delivered" })
    expect(JSON.parse(receiver.at("/filtered")[0]!.body).data.after.body).toBe("private")
  })

  it("delivers an endpoint's events in order through failures: retries, dead letter, then the next", async () => {
    const url = receiver.on("/ordered", "500", "reset", "ok", "500", "500", "500", "ok", "slow", "ok")
    const events = [envelope(), envelope(), envelope(), envelope()]
    const outcomes = await run(deliverWebhooksInOrder(endpoint(url), events, { policy: quick, timeoutMs: 300 }))
    expect(outcomes.map((o) => [o.eventId, o._tag])).toEqual([
      [events[0]!.id, "Delivered"],
      [events[1]!.id, "DeadLettered"],
      [events[2]!.id, "Delivered"],
      [events[3]!.id, "Delivered"],
    ])
    // Attempts arrive grouped per event, in the events' order: a later event never overtakes.
    const ids = receiver.at("/ordered").map((r) => r.headers["webhook-id"])
    expect(ids).toEqual([events[0]!.id, events[0]!.id, events[0]!.id, events[1]!.id, events[1]!.id, events[1]!.id, events[2]!.id, events[3]!.id, events[3]!.id])
  })

  it("reaches a fetch-standard receiver that verifies with receiveEventWebhook, with either secret during a rotation", async () => {
    const [oldSecret, newSecret] = [generateWebhookSecret(), generateWebhookSecret()]
    const got: Array<unknown> = []
    const server = await serveNode({
      fetch: async (request) => {
        try {
          got.push(await receiveEventWebhook(request, { secrets: [oldSecret] }))
          return new Response(null, { status: 204 })
        } catch (error) {
          got.push(error)
          return new Response(null, { status: 401 })
        }
      },
    })
    try {
      const event = envelope()
      const rotating = await run(deliverWebhook({ url: server.url, secrets: [newSecret, oldSecret] }, event, { attempt: 1 }))
      expect(rotating).toMatchObject({ _tag: "Delivered" })
      expect(got[0]).toEqual({ ...event, audience: "shareable" })
      const unknown = await run(deliverWebhook({ url: server.url, secrets: [newSecret] }, event, { attempt: 1 }))
      expect(unknown).toMatchObject({ _tag: "DeadLettered", failure: { kind: "status", status: 401 } })
      expect(got[1]).toMatchObject({ _tag: "WebhookVerificationError", reason: "invalid_signature" })
    } finally {
      await server.close()
    }
  })
})
