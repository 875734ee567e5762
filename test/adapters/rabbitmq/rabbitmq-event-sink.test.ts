import { type Channel, type ChannelModel, connect } from "amqplib"
import { Effect, Exit } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { createRabbitMqEventSink, makeRabbitMqEventSink } from "../../../src/adapters/rabbitmq"
import { eventRoutingKey } from "../../../src/domain/events/broker-token"
import { EventEnvelope } from "../../../src/domain/events/event-envelope"
import { EventSinkUnavailableError } from "../../../src/ports/event-sink"
import { batches, eventCount, perTenant, sampleEnvelopes, uniqueName } from "../events/sample-envelopes"

const tenants = Array.from({ length: 20 }, (_, i) => (i % 4 === 0 ? `tenant.${i}@eu` : `tenant-${i}`))
const url = process.env.RMC_TEST_AMQP_URL ?? "amqp://guest:guest@127.0.0.1:5672"
let connection: ChannelModel
let channel: Channel
const exchanges: Array<string> = []

beforeAll(async () => {
  connection = await connect(url)
  channel = await connection.createChannel()
})
afterAll(async () => {
  for (const exchange of exchanges) await channel.deleteExchange(exchange).catch(() => undefined)
  await connection.close()
})

/** A fresh exchange with a queue bound to `pattern`; the queue goes away with the test's connection. */
const exchangeWithQueue = async (pattern = "#") => {
  const exchange = uniqueName("rmc.test.")
  exchanges.push(exchange)
  await channel.assertExchange(exchange, "topic", { durable: true })
  const { queue } = await channel.assertQueue("", { exclusive: true, durable: false })
  await channel.bindQueue(queue, exchange, pattern)
  return { exchange, queue }
}

const readBack = async (queue: string, expected: number) => {
  const received: Array<{ routingKey: string; messageId: unknown; type: unknown; persistent: boolean; envelope: EventEnvelope }> = []
  for (let idle = 0; received.length < expected + 1 && idle < 20; ) {
    const message = await channel.get(queue, { noAck: true })
    if (message === false) {
      if (received.length >= expected) idle += 5
      idle += 1
      await new Promise((resolve) => setTimeout(resolve, 50))
      continue
    }
    idle = 0
    received.push({
      routingKey: message.fields.routingKey,
      messageId: message.properties.messageId,
      type: message.properties.type,
      persistent: message.properties.deliveryMode === 2,
      envelope: EventEnvelope.parse(JSON.parse(message.content.toString("utf8"))),
    })
  }
  return received
}

describe(`RabbitMQ sink (${eventCount} events)`, () => {
  it("delivers every event once, persistent, in order, routed by tenant and type, with the event id as message id", async () => {
    const { exchange, queue } = await exchangeWithQueue()
    const sink = await createRabbitMqEventSink({ url, exchange })
    const sent = sampleEnvelopes(eventCount, tenants)
    const started = performance.now()
    for (const batch of batches(sent, 200)) await sink.publish(batch)
    const seconds = (performance.now() - started) / 1000
    console.log(`rabbitmq: ${sent.length} events confirmed in ${seconds.toFixed(2)} s (${Math.round(sent.length / seconds)} events/s)`)
    const received = await readBack(queue, sent.length)
    expect(received).toHaveLength(sent.length)
    expect(received.map((m) => m.envelope)).toEqual(sent)
    expect(perTenant(received.map((m) => m.envelope))).toEqual(perTenant(sent))
    for (const [i, m] of received.entries()) {
      expect(m.messageId).toBe(sent[i]!.id)
      expect(m.type).toBe(sent[i]!.type)
      expect(m.persistent).toBe(true)
      expect(m.routingKey).toBe(eventRoutingKey(sent[i]!))
    }
    await sink.close()
  })

  it("routes one tenant's events to a queue bound to that tenant only", async () => {
    const { exchange, queue } = await exchangeWithQueue("globex~2Eeu.#")
    const sink = await createRabbitMqEventSink({ url, exchange })
    const sent = sampleEnvelopes(30)
    await sink.publish(sent)
    const received = await readBack(queue, 10)
    expect(received.map((m) => m.envelope.id)).toEqual(sent.filter((e) => e.tenantId === "globex.eu").map((e) => e.id))
    await sink.close()
  })

  it("refuses an event no queue receives when mandatory, counting the routed ones before it", async () => {
    const { exchange, queue } = await exchangeWithQueue("acme.#")
    const sink = await createRabbitMqEventSink({ url, exchange, mandatory: true })
    const sent = sampleEnvelopes(6) // acme, globex.eu, ...: the second has no queue
    await expect(sink.publish(sent)).rejects.toMatchObject({ _tag: "EventSinkRejectedError", accepted: 1, eventId: sent[1]!.id })
    await sink.publish(sent.filter((e) => e.tenantId === "acme"))
    expect((await readBack(queue, 4)).map((m) => m.envelope.id)).toEqual([sent[0]!.id, sent[3]!.id, sent[0]!.id, sent[3]!.id])
    // Once a queue is bound for it, the refused tenant's events go through.
    await channel.bindQueue(queue, exchange, "globex~2Eeu.#")
    await sink.publish([sent[1]!, sent[3]!, sent[4]!])
    expect((await readBack(queue, 5)).map((m) => m.envelope.id)).toEqual([sent[1]!.id, sent[3]!.id, sent[4]!.id])
    await sink.close()
  })

  it("opens a new channel after the broker closed the old one", async () => {
    const { exchange, queue } = await exchangeWithQueue()
    const sink = await createRabbitMqEventSink({ url, exchange })
    await sink.publish(sampleEnvelopes(3))
    // Deleting the exchange under the sink makes the broker close its channel on the next publish.
    await channel.deleteExchange(exchange)
    await expect(sink.publish(sampleEnvelopes(1))).rejects.toMatchObject({ _tag: "EventSinkUnavailableError" })
    await channel.assertExchange(exchange, "topic", { durable: true })
    await channel.bindQueue(queue, exchange, "#")
    const later = sampleEnvelopes(2)
    await sink.publish(later)
    const received = await readBack(queue, 5)
    expect(received.slice(-2).map((m) => m.envelope.id)).toEqual(later.map((e) => e.id))
    await sink.close()
  })

  it("fails with EventSinkUnavailableError when the broker cannot be reached (Effect API)", async () => {
    const exit = await Effect.runPromiseExit(Effect.scoped(makeRabbitMqEventSink({ url: "amqp://guest:guest@127.0.0.1:1" })))
    expect(Exit.isFailure(exit) && exit.cause.reasons[0]?._tag === "Fail" ? exit.cause.reasons[0].error : undefined).toBeInstanceOf(EventSinkUnavailableError)
  })

  it("refuses an exchange declared with another type", async () => {
    const exchange = uniqueName("rmc.test.")
    exchanges.push(exchange)
    await channel.assertExchange(exchange, "fanout", { durable: true })
    await expect(createRabbitMqEventSink({ url, exchange })).rejects.toMatchObject({ _tag: "EventSinkRejectedError", eventId: null })
  })
})
