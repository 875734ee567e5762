import { Context, Data, type Effect } from "effect"
import type { EventEnvelope } from "../domain/events/event-envelope"

/**
 * The broker could not be reached, or did not confirm in time: publishing again later may
 * succeed. `accepted` counts the envelopes at the head of the batch that the broker confirmed
 * before the failure (a relay may checkpoint past them); the rest may or may not have arrived.
 *
 * @example
 * ```ts
 * import { EventSinkUnavailableError } from "rmc-details/events"
 * new EventSinkUnavailableError({ message: "connection closed", sink: "nats", accepted: 0 })
 * ```
 */
export class EventSinkUnavailableError extends Data.TaggedError("EventSinkUnavailableError")<{
  readonly message: string
  readonly sink: string
  readonly accepted: number
  readonly cause?: unknown
}> {}

/**
 * The broker refused an envelope and will refuse it again (no stream for its subject, message
 * too large, nowhere to route it): the configuration must change before it can be published.
 * `accepted` counts the envelopes at the head of the batch confirmed before it; `eventId` names
 * the refused one (`null` when the broker refused the configuration itself, at start).
 *
 * @example
 * ```ts
 * import { EventSinkRejectedError } from "rmc-details/events"
 * new EventSinkRejectedError({ message: "no route", sink: "rabbitmq", accepted: 3, eventId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11" })
 * ```
 */
export class EventSinkRejectedError extends Data.TaggedError("EventSinkRejectedError")<{
  readonly message: string
  readonly sink: string
  readonly accepted: number
  readonly eventId: string | null
  readonly cause?: unknown
}> {}

/**
 * The errors of {@link EventSink}.
 *
 * @example
 * ```ts
 * import type { EventSinkError } from "rmc-details/events"
 * const retryable = (e: EventSinkError) => e._tag === "EventSinkUnavailableError"
 * ```
 */
export type EventSinkError = EventSinkUnavailableError | EventSinkRejectedError

/**
 * The event sink port: hands an ordered batch of envelopes to a broker. `publish` succeeds only
 * once the broker has durably accepted every envelope of the batch, in order; on failure, the
 * batch (from `accepted` on) is published again, so delivery is at least once and a sink
 * de-duplicates by envelope id where its broker can. Envelopes of one tenant keep their order.
 *
 * @example
 * ```ts
 * import { Effect, Layer } from "effect"
 * import { EventSink, type EventEnvelope } from "rmc-details/events"
 * const received: Array<EventEnvelope> = []
 * const layerInMemory = Layer.succeed(EventSink, EventSink.of({
 *   name: "memory",
 *   publish: (envelopes) => Effect.sync(() => { received.push(...envelopes) }),
 * }))
 * ```
 */
export class EventSink extends Context.Service<
  EventSink,
  {
    /** A short name for logs and metrics: `nats`, `rabbitmq`... */
    readonly name: string
    /** Resolves once the broker has durably accepted every envelope, in order. */
    publish(envelopes: ReadonlyArray<EventEnvelope>): Effect.Effect<void, EventSinkError>
  }
>()("rmc-details/EventSink") {}
