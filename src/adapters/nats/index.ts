/**
 * The NATS JetStream event sink. Needs the optional peer dependencies `@nats-io/transport-node`
 * and `@nats-io/jetstream` (3.x).
 *
 * @example
 * ```ts
 * import { createNatsEventSink } from "rmc-details/nats"
 * const sink = await createNatsEventSink({ servers: "127.0.0.1:4222", stream: { name: "RMC_EVENTS" } })
 * await sink.close()
 * ```
 *
 * @module rmc-details/nats
 */
export * from "./nats-event-sink"
export * from "./create-nats-event-sink"
