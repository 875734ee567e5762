/**
 * Events fit to leave the building: the versioned envelope and its schema, the classification
 * of every event type, the {@link EventSink} port, the AsyncAPI document, and Standard Webhooks
 * signing, verification and delivery. No broker driver is loaded from here: the sinks live in
 * `rmc-details/nats` and `rmc-details/rabbitmq`. Runs on Node, Bun, Deno and edge runtimes
 * (Web Crypto and fetch only).
 *
 * @example
 * ```ts
 * import type { ActivityEvent } from "rmc-details"
 * import { toEventEnvelope } from "rmc-details/events"
 * declare const event: ActivityEvent
 * const envelope = toEventEnvelope(event, "shareable") // undefined for a note
 * ```
 *
 * @module rmc-details/events
 */
export * from "../../domain/events/event-envelope"
export * from "../../domain/events/event-classification"
export * from "../../domain/events/to-event-envelope"
export * from "../../domain/events/broker-token"
export * from "../../ports/event-sink"
export * from "./event-sink-handle"
export * from "./asyncapi"
export * from "../webhooks/standard-webhooks"
export * from "../webhooks/deliver-webhook"
export * from "./publish-in-tenant-lanes"
export * from "../webhooks/receive-event-webhook"
