/**
 * The relay: publishes the outbox, in order and at least once, to a sink (a broker, webhooks...),
 * with one active instance at a time (a lease with a fencing token) and a checkpoint in the
 * database. Both an Effect API ({@link runRelay}) and a Promise API ({@link startRelay}).
 *
 * @example
 * ```ts
 * import { makeMemoryStorage } from "rmc-details"
 * import { makeMemoryRelayStore, makeMemorySink, startRelay } from "rmc-details/relay"
 * const sink = makeMemorySink()
 * const relay = startRelay({ storage: makeMemoryStorage(), store: makeMemoryRelayStore(), sink })
 * await relay.stop()
 * ```
 *
 * @module rmc-details/relay
 */
export * from "./relay-sink"
export * from "./relay-store"
export * from "./memory-relay-store"
export * from "./memory-sink"
export * from "./relay-metrics"
export * from "./run-relay"
export * from "./start-relay"
export * from "./event-sink-relay"
export * from "./webhook-subscriptions-sink"
