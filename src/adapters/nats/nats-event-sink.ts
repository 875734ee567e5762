import { type JetStreamClient, jetstream, jetstreamManager, RetentionPolicy, StorageType, type StreamConfig } from "@nats-io/jetstream"
import { connect, headers, type NatsConnection, nanos } from "@nats-io/transport-node"
import { Effect, Layer, type Scope } from "effect"
import { encodeBrokerToken } from "../../domain/events/broker-token"
import type { EventEnvelope } from "../../domain/events/event-envelope"
import { publishInTenantLanes } from "../events/publish-in-tenant-lanes"
import { EventSink, type EventSinkError, EventSinkRejectedError, EventSinkUnavailableError } from "../../ports/event-sink"

/**
 * The JetStream stream that keeps the events: created at start when missing (unless
 * `create: false`), checked when it exists.
 *
 * @example
 * ```ts
 * import type { NatsStreamOptions } from "rmc-details/nats"
 * const stream: NatsStreamOptions = { name: "RMC_EVENTS", retention: "limits", maxAgeMs: 7 * 24 * 3600_000, duplicateWindowMs: 3600_000 }
 * ```
 */
export interface NatsStreamOptions {
  /** Stream name; `RMC_EVENTS` by default. */
  readonly name?: string
  /** Subjects the stream captures; `<subjectPrefix>.>` by default. */
  readonly subjects?: ReadonlyArray<string>
  /** `limits` (default: keep until max age/size), `interest` (until every consumer acked) or `workqueue`. */
  readonly retention?: "limits" | "interest" | "workqueue"
  /** How long messages are kept; unlimited by default. */
  readonly maxAgeMs?: number
  /**
   * How long JetStream remembers an event id to drop a re-publication of it; 2 minutes by
   * default. Make it longer than a relay can take to come back after a crash.
   */
  readonly duplicateWindowMs?: number
  /** Replicas in a cluster; 1 by default. */
  readonly replicas?: number
  /** Create the stream when it does not exist (default `true`); with `false`, a missing stream fails the start. */
  readonly create?: boolean
}

/**
 * Options of {@link makeNatsEventSink}.
 *
 * @example
 * ```ts
 * import type { NatsEventSinkOptions } from "rmc-details/nats"
 * const options: NatsEventSinkOptions = { servers: "nats://127.0.0.1:4222", subjectPrefix: "rmc", stream: { name: "RMC_EVENTS" } }
 * ```
 */
export interface NatsEventSinkOptions {
  /**
   * Where to connect; ignored when `connection` is given. `127.0.0.1:4222` by default. The sink's
   * own connection reconnects without limit, every 500 ms, after a broker restart.
   */
  readonly servers?: string | ReadonlyArray<string>
  /** A connection of the application's own; the sink never closes it. */
  readonly connection?: NatsConnection
  /** First token of every subject: `<prefix>.<tenant token>.<event type>`; `rmc` by default. */
  readonly subjectPrefix?: string
  readonly stream?: NatsStreamOptions
  /** How long to wait for each publish acknowledgement; 5 seconds by default. */
  readonly ackTimeoutMs?: number
  /**
   * How many tenants' events are published at once (each tenant's one at a time, in order);
   * 32 by default. 1 publishes the whole batch one event at a time.
   */
  readonly maxTenantsInFlight?: number
}

/**
 * The subject of an envelope: `<prefix>.<tenant token>.<entity>.<change>`, e.g.
 * `rmc.acme.note.added`, the tenant id made subject-safe by `encodeBrokerToken`.
 *
 * @example
 * ```ts
 * import { natsSubject } from "rmc-details/nats"
 * natsSubject("rmc", { tenantId: "acme.eu", type: "note.added" }) // "rmc.acme~2Eeu.note.added"
 * ```
 */
export const natsSubject = (prefix: string, envelope: { readonly tenantId: string; readonly type: string }): string =>
  `${prefix}.${encodeBrokerToken(envelope.tenantId)}.${envelope.type}`

const retention = { limits: RetentionPolicy.Limits, interest: RetentionPolicy.Interest, workqueue: RetentionPolicy.Workqueue } as const

const describe = (cause: unknown) => (cause instanceof Error ? cause.message : String(cause))

// A stream that misses a subject, a message over the server's max payload, a server that answers
// an API error: publishing again cannot succeed. Everything else (timeouts, closed connections,
// no responders during a restart) can.
const isRefusal = (cause: unknown) => cause instanceof Error && (cause.name === "JetStreamApiError" || /max.?payload|maximum payload/i.test(cause.message))

const ensureStream = (connection: NatsConnection, prefix: string, options: NatsStreamOptions) =>
  Effect.tryPromise({
    try: async () => {
      const manager = await jetstreamManager(connection)
      const name = options.name ?? "RMC_EVENTS"
      const subjects = [...(options.subjects ?? [`${prefix}.>`])]
      const existing = await manager.streams.info(name).catch((cause: unknown) => {
        if (cause instanceof Error && cause.name === "StreamNotFoundError") return undefined
        throw cause
      })
      if (existing !== undefined) {
        const missing = subjects.filter((s) => !existing.config.subjects.includes(s))
        if (missing.length > 0) throw new Error(`stream ${name} does not capture ${missing.join(", ")}`)
        return
      }
      if (options.create === false) throw new Error(`stream ${name} does not exist`)
      const config: Partial<StreamConfig> & { name: string } = {
        name,
        subjects,
        retention: retention[options.retention ?? "limits"],
        storage: StorageType.File,
        num_replicas: options.replicas ?? 1,
        // JetStream refuses a duplicate window longer than the messages are kept.
        duplicate_window: nanos(Math.min(options.duplicateWindowMs ?? 120_000, options.maxAgeMs ?? Number.POSITIVE_INFINITY)),
        ...(options.maxAgeMs !== undefined && { max_age: nanos(options.maxAgeMs) }),
      }
      await manager.streams.add(config)
    },
    catch: (cause) => new EventSinkUnavailableError({ message: `NATS stream check failed: ${describe(cause)}`, sink: "nats", accepted: 0, cause }),
  })

const publishAll = (client: JetStreamClient, prefix: string, options: NatsEventSinkOptions, envelopes: ReadonlyArray<EventEnvelope>) =>
  Effect.tryPromise({
    try: () => {
      const encoder = new TextEncoder()
      // One publish in flight per tenant: a failed event is retried before any later event of its
      // tenant is sent, so the stream never holds a tenant's events out of order.
      return publishInTenantLanes(envelopes, options.maxTenantsInFlight ?? 32, (envelope) => {
        const h = headers()
        h.set("Content-Type", "application/json")
        h.set("Rmc-Schema-Version", String(envelope.schemaVersion))
        return client.publish(natsSubject(prefix, envelope), encoder.encode(JSON.stringify(envelope)), {
          msgID: envelope.id,
          headers: h,
          timeout: options.ackTimeoutMs ?? 5_000,
        })
      })
    },
    catch: (cause) => new EventSinkUnavailableError({ message: `NATS publish failed: ${describe(cause)}`, sink: "nats", accepted: 0, cause }),
  }).pipe(
    Effect.flatMap(({ accepted, failure }): Effect.Effect<void, EventSinkError> => {
      if (failure === undefined) return Effect.void
      const cause = failure.cause
      return Effect.fail(
        isRefusal(cause)
          ? new EventSinkRejectedError({
              message: `NATS refused the event: ${describe(cause)}`,
              sink: "nats",
              accepted,
              eventId: envelopes[failure.index]!.id,
              cause,
            })
          : new EventSinkUnavailableError({ message: `NATS publish failed: ${describe(cause)}`, sink: "nats", accepted, cause }),
      )
    }),
  )

/**
 * An {@link EventSink} on NATS JetStream. At start it connects (unless given a connection) and
 * creates or checks the stream; each envelope is published to `<prefix>.<tenant>.<type>` with
 * `Nats-Msg-Id` = event id, so that JetStream drops a re-publication within the duplicate window,
 * and the publish acknowledgement (the stream has stored it) is awaited before the tenant's next
 * event is sent; different tenants are published concurrently.
 * The connection it opened is drained when the scope closes.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { EventSink } from "rmc-details/events"
 * import { makeNatsEventSink } from "rmc-details/nats"
 * const program = Effect.scoped(Effect.gen(function* () {
 *   const sink = yield* makeNatsEventSink({ servers: "127.0.0.1:4222" })
 *   yield* sink.publish([])
 * }))
 * ```
 */
export const makeNatsEventSink = (options: NatsEventSinkOptions = {}): Effect.Effect<EventSink["Service"], EventSinkError, Scope.Scope> =>
  Effect.gen(function* () {
    const prefix = options.subjectPrefix ?? "rmc"
    const connection =
      options.connection ??
      (yield* Effect.acquireRelease(
        Effect.tryPromise({
          try: () =>
            connect({
              name: "rmc-details events",
              servers: typeof options.servers === "string" ? options.servers : [...(options.servers ?? ["127.0.0.1:4222"])],
              // The client's default gives up after ten attempts (about 20 s): a broker restarted
              // more slowly would leave the sink closed for good. Publications fail (and the relay
              // retries them) until the server is back.
              maxReconnectAttempts: -1,
              reconnectTimeWait: 500,
            }),
          catch: (cause) => new EventSinkUnavailableError({ message: `NATS connection failed: ${describe(cause)}`, sink: "nats", accepted: 0, cause }),
        }),
        (opened) => Effect.promise(() => opened.drain().catch(() => opened.close())),
      ))
    yield* ensureStream(connection, prefix, options.stream ?? {})
    const client = jetstream(connection)
    return EventSink.of({
      name: "nats",
      publish: (envelopes) =>
        publishAll(client, prefix, options, envelopes).pipe(Effect.withSpan("rmc.events.nats.publish", { attributes: { count: envelopes.length } })),
    })
  })

/**
 * The NATS JetStream {@link EventSink} as a layer: connects and checks the stream when built,
 * drains the connection when released.
 *
 * @example
 * ```ts
 * import { layerNatsEventSink } from "rmc-details/nats"
 * const EventsLive = layerNatsEventSink({ servers: "127.0.0.1:4222", stream: { duplicateWindowMs: 3600_000 } })
 * ```
 */
export const layerNatsEventSink = (options: NatsEventSinkOptions = {}): Layer.Layer<EventSink, EventSinkError> =>
  Layer.effect(EventSink, makeNatsEventSink(options))
