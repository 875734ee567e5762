import { Effect } from "effect"
import type { EventSinkHandle } from "../adapters/events/event-sink-handle"
import type { EventAudience, EventEnvelope } from "../domain/events/event-envelope"
import { toEventEnvelope } from "../domain/events/to-event-envelope"
import type { EventSink } from "../ports/event-sink"
import type { RelaySink } from "./relay-sink"

/**
 * A {@link RelaySink} that publishes each batch to an event sink (`rmc-details/nats`,
 * `rmc-details/rabbitmq` or one's own `EventSink`), with the Effect service or its Promise handle:
 * every entry becomes `toEventEnvelope(event, audience)`, and for a `shareable` audience the
 * internal events (notes) are left out. A failed publication (`EventSinkUnavailableError`,
 * `EventSinkRejectedError`) fails the batch, which the relay publishes again, whole: the broker's
 * de-duplication by envelope id absorbs what had arrived.
 *
 * @example
 * ```ts
 * import { createNatsEventSink } from "rmc-details/nats"
 * import { eventSinkRelay } from "rmc-details/relay"
 * const nats = await createNatsEventSink({ servers: "127.0.0.1:4222" })
 * const sink = eventSinkRelay(nats, { audience: "internal" })
 * ```
 */
export const eventSinkRelay = (
  sink: EventSink["Service"] | EventSinkHandle,
  options: { readonly audience?: EventAudience | undefined } = {},
): RelaySink<unknown> => {
  const audience = options.audience ?? "internal"
  return {
    name: sink.name,
    publish: (batch) =>
      Effect.suspend(() => {
        const envelopes = batch.flatMap((entry): Array<EventEnvelope> => {
          const envelope = toEventEnvelope(entry.event, audience)
          return envelope === undefined ? [] : [envelope]
        })
        if (envelopes.length === 0) return Effect.void
        const published = sink.publish(envelopes)
        return Effect.isEffect(published) ? published : Effect.tryPromise({ try: () => published, catch: (error) => error })
      }),
  }
}
