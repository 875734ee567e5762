import { type ChannelModel, type ConfirmChannel, connect } from "amqplib"
import { Effect, Layer, type Scope } from "effect"
import { eventRoutingKey } from "../../domain/events/broker-token"
import type { EventEnvelope } from "../../domain/events/event-envelope"
import { EventSink, type EventSinkError, EventSinkRejectedError, EventSinkUnavailableError } from "../../ports/event-sink"

/**
 * Options of {@link makeRabbitMqEventSink}.
 *
 * @example
 * ```ts
 * import type { RabbitMqEventSinkOptions } from "rmc-details/rabbitmq"
 * const options: RabbitMqEventSinkOptions = { url: "amqp://guest:guest@127.0.0.1:5672", exchange: "rmc.events", mandatory: true }
 * ```
 */
export interface RabbitMqEventSinkOptions {
  /** Where to connect; ignored when `connection` is given. `amqp://guest:guest@127.0.0.1:5672` by default. */
  readonly url?: string
  /** A connection of the application's own; the sink opens its own channel on it and never closes the connection. */
  readonly connection?: ChannelModel
  /** The topic exchange, declared durable at start; `rmc.events` by default. */
  readonly exchange?: string
  /**
   * Refuse an event that no queue is bound to receive (`EventSinkRejectedError`) instead of
   * letting RabbitMQ drop it; `false` by default.
   */
  readonly mandatory?: boolean
  /** How long to wait for the broker's confirms of a batch; 10 seconds by default. */
  readonly confirmTimeoutMs?: number
}

const describe = (cause: unknown) => (cause instanceof Error ? cause.message : String(cause))

interface Open {
  readonly connection: ChannelModel
  readonly channel: ConfirmChannel
  readonly returned: Set<string>
  broken: boolean
}

/**
 * An {@link EventSink} on RabbitMQ. At start it connects (unless given a connection), opens a
 * confirm channel and declares the durable topic exchange; each envelope is published persistent
 * with routing key `<tenant token>.<event type>` (e.g. `acme.note.added`), `messageId` = event id
 * and `type` = event type, and `publish` resolves once the broker has confirmed every message
 * (publisher confirms: written to disk for durable queues). A lost connection or channel is
 * opened again on the next publish. RabbitMQ does not de-duplicate: consumers do, by `messageId`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { makeRabbitMqEventSink } from "rmc-details/rabbitmq"
 * const program = Effect.scoped(Effect.gen(function* () {
 *   const sink = yield* makeRabbitMqEventSink({ url: "amqp://guest:guest@127.0.0.1:5672" })
 *   yield* sink.publish([])
 * }))
 * ```
 */
export const makeRabbitMqEventSink = (options: RabbitMqEventSinkOptions = {}): Effect.Effect<EventSink["Service"], EventSinkError, Scope.Scope> =>
  Effect.gen(function* () {
    const exchange = options.exchange ?? "rmc.events"
    const mandatory = options.mandatory ?? false
    const confirmTimeoutMs = options.confirmTimeoutMs ?? 10_000
    let current: Open | undefined

    const discard = async (broken: Open) => {
      broken.broken = true
      if (current === broken) current = undefined
      await broken.channel.close().catch(() => undefined)
      if (options.connection === undefined) await broken.connection.close().catch(() => undefined)
    }

    const open = async (): Promise<Open> => {
      if (current !== undefined && !current.broken) return current
      if (current !== undefined) await discard(current)
      const connection = options.connection ?? (await connect(options.url ?? "amqp://guest:guest@127.0.0.1:5672"))
      let opened: Open | undefined
      let brokenEarly = false
      // Without listeners an error on either would crash the process; a broken pair is replaced.
      const breakIt = () => {
        brokenEarly = true
        if (opened !== undefined) opened.broken = true
      }
      if (options.connection === undefined) {
        connection.on("error", breakIt)
        connection.on("close", breakIt)
      }
      try {
        const channel = await connection.createConfirmChannel()
        channel.on("error", breakIt)
        channel.on("close", breakIt)
        const returned = new Set<string>()
        channel.on("return", (message) => {
          const id = message.properties.messageId
          if (typeof id === "string") returned.add(id)
        })
        await channel.assertExchange(exchange, "topic", { durable: true })
        opened = { connection, channel, returned, broken: brokenEarly }
      } catch (cause) {
        // A connection of our own is not left open behind a failed start.
        if (options.connection === undefined) await connection.close().catch(() => undefined)
        throw cause
      }
      current = opened
      return opened
    }

    yield* Effect.acquireRelease(
      Effect.tryPromise({
        try: open,
        catch: (cause) =>
          /PRECONDITION_FAILED|406/.test(describe(cause))
            ? new EventSinkRejectedError({
                message: `RabbitMQ refused exchange ${exchange}: ${describe(cause)}`,
                sink: "rabbitmq",
                accepted: 0,
                eventId: null,
                cause,
              })
            : new EventSinkUnavailableError({ message: `RabbitMQ connection failed: ${describe(cause)}`, sink: "rabbitmq", accepted: 0, cause }),
      }),
      () => Effect.promise(async () => (current === undefined ? undefined : discard(current))),
    )

    const publishAll = (envelopes: ReadonlyArray<EventEnvelope>) =>
      Effect.suspend(() => {
        let accepted = 0
        let opened: Open | undefined
        return Effect.tryPromise({
          try: async (signal) => {
            opened = await open()
            const { channel, returned } = opened
            const confirms: Array<Promise<void>> = []
            let timer: ReturnType<typeof setTimeout> | undefined
            const timeout = new Promise<never>((_, reject) => {
              timer = setTimeout(() => reject(new Error(`no confirm within ${confirmTimeoutMs} ms`)), confirmTimeoutMs)
            })
            signal.addEventListener("abort", () => clearTimeout(timer))
            timeout.catch(() => undefined)
            for (const envelope of envelopes) {
              let settle: (error: unknown) => void = () => undefined
              const confirm = new Promise<void>((resolve, reject) => {
                settle = (error) =>
                  error === null || error === undefined ? resolve() : reject(error instanceof Error ? error : new Error("nacked by the broker"))
              })
              // Awaited below in order; this keeps a confirm left behind by an earlier failure from
              // surfacing as an unhandled rejection.
              confirm.catch(() => undefined)
              confirms.push(confirm)
              const written = channel.publish(
                exchange,
                eventRoutingKey(envelope),
                Buffer.from(JSON.stringify(envelope)),
                {
                  persistent: true,
                  mandatory,
                  messageId: envelope.id,
                  type: envelope.type,
                  contentType: "application/json",
                  timestamp: Math.floor(Date.parse(envelope.occurredAt) / 1000),
                  headers: { "rmc-tenant-id": envelope.tenantId, "rmc-schema-version": envelope.schemaVersion },
                },
                (error) => settle(error),
              )
              // Respect the socket's back-pressure rather than buffering a whole batch in memory.
              if (!written) await Promise.race([new Promise((resume) => channel.once("drain", resume)), timeout])
            }
            try {
              // Confirms arrive in publish order: count the confirmed head of the batch.
              for (const confirm of confirms) {
                await Promise.race([confirm, timeout])
                const id = envelopes[accepted]!.id
                // A message comes back (basic.return) before its confirm: the set holds it by now.
                if (returned.delete(id)) throw Object.assign(new Error(`no queue is bound for ${eventRoutingKey(envelopes[accepted]!)}`), { unroutable: true })
                accepted += 1
              }
            } finally {
              // Forget this batch's returns, so that a later publication of one of its events is
              // judged on its own routing. A return comes before its message's confirm: once every
              // confirm is in (or the deadline passed, and the channel is replaced), none is late.
              await Promise.race([Promise.allSettled(confirms), timeout.catch(() => undefined)])
              clearTimeout(timer)
              for (const envelope of envelopes) returned.delete(envelope.id)
            }
          },
          catch: (cause): EventSinkError => {
            if (cause instanceof Error && "unroutable" in cause) {
              return new EventSinkRejectedError({
                message: `RabbitMQ could not route the event: ${cause.message}`,
                sink: "rabbitmq",
                accepted,
                eventId: envelopes[accepted]?.id ?? null,
                cause,
              })
            }
            return new EventSinkUnavailableError({ message: `RabbitMQ publish failed: ${describe(cause)}`, sink: "rabbitmq", accepted, cause })
          },
        }).pipe(
          // A channel that failed or timed out mid-batch may still confirm late: start afresh.
          Effect.tapError((error) =>
            error._tag === "EventSinkUnavailableError" && opened !== undefined ? Effect.promise(() => discard(opened!)) : Effect.void,
          ),
        )
      })

    return EventSink.of({
      name: "rabbitmq",
      publish: (envelopes) => publishAll(envelopes).pipe(Effect.withSpan("rmc.events.rabbitmq.publish", { attributes: { count: envelopes.length } })),
    })
  })

/**
 * The RabbitMQ {@link EventSink} as a layer: connects and declares the exchange when built,
 * closes its channel and connection when released.
 *
 * @example
 * ```ts
 * import { layerRabbitMqEventSink } from "rmc-details/rabbitmq"
 * const EventsLive = layerRabbitMqEventSink({ url: "amqp://guest:guest@127.0.0.1:5672", exchange: "rmc.events" })
 * ```
 */
export const layerRabbitMqEventSink = (options: RabbitMqEventSinkOptions = {}): Layer.Layer<EventSink, EventSinkError> =>
  Layer.effect(EventSink, makeRabbitMqEventSink(options))
