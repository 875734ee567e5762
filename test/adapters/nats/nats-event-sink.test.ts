import { jetstream, jetstreamManager } from "@nats-io/jetstream"
import { connect, type NatsConnection } from "@nats-io/transport-node"
import { Effect, Exit } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { createNatsEventSink, makeNatsEventSink, natsSubject } from "../../../src/adapters/nats"
import { EventEnvelope } from "../../../src/domain/events/event-envelope"
import { EventSinkUnavailableError } from "../../../src/ports/event-sink"
import { batches, eventCount, perTenant, sampleEnvelopes, uniqueName } from "../events/sample-envelopes"

const tenants = Array.from({ length: 20 }, (_, i) => (i % 4 === 0 ? `tenant.${i}@eu` : `tenant-${i}`))
const servers = process.env.RMC_TEST_NATS_URL ?? "127.0.0.1:4222"
let nc: NatsConnection
const streams: Array<string> = []

beforeAll(async () => {
  nc = await connect({ servers })
})
afterAll(async () => {
  const manager = await jetstreamManager(nc)
  for (const stream of streams) await manager.streams.delete(stream).catch(() => undefined)
  await nc.close()
})

/** Reads every message of a stream in order, with its subject and Nats-Msg-Id. */
const readBack = async (stream: string, expected: number) => {
  const consumer = await jetstream(nc).consumers.get(stream)
  const messages: Array<{ subject: string; msgId: string | undefined; envelope: EventEnvelope }> = []
  while (messages.length < expected) {
    const batch = await consumer.fetch({ max_messages: Math.min(1_000, expected - messages.length), expires: 1_000 })
    let got = 0
    for await (const m of batch) {
      got += 1
      messages.push({ subject: m.subject, msgId: m.headers?.get("Nats-Msg-Id"), envelope: EventEnvelope.parse(m.json()) })
    }
    if (got === 0) break
  }
  return messages
}

const freshSink = async (extra: { duplicateWindowMs?: number } = {}) => {
  const stream = uniqueName("RMC_TEST_")
  const prefix = uniqueName("rmctest")
  streams.push(stream)
  const sink = await createNatsEventSink({ servers, subjectPrefix: prefix, stream: { name: stream, duplicateWindowMs: extra.duplicateWindowMs ?? 600_000 } })
  return { sink, stream, prefix }
}

describe(`NATS JetStream sink (${eventCount} events)`, () => {
  it("stores every event once, in order per tenant, under its tenant and type subject, duplicates absorbed", async () => {
    const { sink, stream, prefix } = await freshSink()
    const sent = sampleEnvelopes(eventCount, tenants)
    const started = performance.now()
    for (const batch of batches(sent, 200)) await sink.publish(batch)
    const seconds = (performance.now() - started) / 1000
    console.log(`nats: ${sent.length} events published in ${seconds.toFixed(2)} s (${Math.round(sent.length / seconds)} events/s)`)
    // A relay that crashed before its checkpoint publishes the same events again.
    await sink.publish(sent.slice(0, 150))
    await sink.publish(sent.slice(-3))
    const info = await (await jetstreamManager(nc)).streams.info(stream)
    expect(info.state.messages).toBe(sent.length)

    const received = await readBack(stream, sent.length + 1)
    expect(received).toHaveLength(sent.length)
    // Exactly what was sent, each tenant's events in the order sent (tenants are published concurrently).
    const byId = new Map(sent.map((e) => [e.id, e]))
    expect(new Set(received.map((m) => m.envelope.id))).toEqual(new Set(byId.keys()))
    expect(perTenant(received.map((m) => m.envelope))).toEqual(perTenant(sent))
    for (const m of received) {
      expect(m.envelope).toEqual(byId.get(m.envelope.id))
      expect(m.msgId).toBe(m.envelope.id)
      expect(m.subject).toBe(natsSubject(prefix, m.envelope))
    }
    expect(received.find((m) => m.envelope.tenantId === "tenant.0@eu")!.subject).toMatch(new RegExp(`^${prefix}\\.tenant~2E0~40eu\\.`))
    await sink.close()
  })

  it("stops a tenant at its first failed event while other tenants go on, and counts the accepted head", async () => {
    const stream = uniqueName("RMC_TEST_")
    const prefix = uniqueName("rmctest")
    streams.push(stream)
    // The stream captures acme only: the other tenants' subjects have no stream to answer them.
    const sink = await createNatsEventSink({ servers, subjectPrefix: prefix, stream: { name: stream, subjects: [`${prefix}.acme.>`] }, ackTimeoutMs: 1_000 })
    const sent = sampleEnvelopes(12)
    const failure = await sink.publish(sent).then(
      () => undefined,
      (error: unknown) => error,
    )
    expect(failure).toMatchObject({ _tag: "EventSinkUnavailableError", accepted: 1 })
    const stored = await readBack(stream, 4)
    expect(stored.map((m) => m.envelope.id)).toEqual(sent.filter((e) => e.tenantId === "acme").map((e) => e.id))
    await sink.close()
  })

  it("lets a consumer filter one tenant's subjects", async () => {
    const { sink, stream, prefix } = await freshSink()
    const sent = sampleEnvelopes(30)
    await sink.publish(sent)
    const manager = await jetstreamManager(nc)
    await manager.consumers.add(stream, { durable_name: "acme", filter_subject: `${prefix}.acme.>`, ack_policy: "explicit" as never })
    const consumer = await jetstream(nc).consumers.get(stream, "acme")
    const batch = await consumer.fetch({ max_messages: 30, expires: 1_000 })
    const ids: Array<string> = []
    for await (const m of batch) {
      ids.push(EventEnvelope.parse(m.json()).id)
      m.ack()
    }
    expect(ids).toEqual(sent.filter((e) => e.tenantId === "acme").map((e) => e.id))
    await sink.close()
  })

  it("checks an existing stream: reuses it when it captures the subjects, refuses it otherwise", async () => {
    const { sink, stream, prefix } = await freshSink()
    await sink.close()
    const again = await createNatsEventSink({ servers, subjectPrefix: prefix, stream: { name: stream } })
    await again.close()
    await expect(createNatsEventSink({ servers, subjectPrefix: "other", stream: { name: stream } })).rejects.toMatchObject({
      _tag: "EventSinkUnavailableError",
      message: expect.stringContaining("does not capture other.>"),
    })
    await expect(createNatsEventSink({ servers, stream: { name: uniqueName("RMC_MISSING_"), create: false } })).rejects.toMatchObject({
      message: expect.stringContaining("does not exist"),
    })
  })

  it("creates the stream as configured, the duplicate window no longer than the retention", async () => {
    const stream = uniqueName("RMC_TEST_")
    streams.push(stream)
    const sink = await createNatsEventSink({
      servers,
      subjectPrefix: uniqueName("rmctest"),
      stream: { name: stream, retention: "interest", maxAgeMs: 60_000, duplicateWindowMs: 3_600_000 },
    })
    const { config } = await (await jetstreamManager(nc)).streams.info(stream)
    expect(config).toMatchObject({ retention: "interest", storage: "file", max_age: 60_000_000_000, duplicate_window: 60_000_000_000 })
    await sink.close()
  })

  it("fails with EventSinkUnavailableError when the server cannot be reached (Effect API)", async () => {
    const exit = await Effect.runPromiseExit(Effect.scoped(makeNatsEventSink({ servers: "127.0.0.1:1", stream: { name: "RMC_NEVER" } })))
    expect(Exit.isFailure(exit) && exit.cause.reasons[0]?._tag === "Fail" ? exit.cause.reasons[0].error : undefined).toBeInstanceOf(EventSinkUnavailableError)
  })
})
