import { type EventSinkHandle, openEventSink } from "../events/event-sink-handle"
import { makeNatsEventSink, type NatsEventSinkOptions } from "./nats-event-sink"

/**
 * The NATS JetStream event sink for the Promise API: connects and creates or checks the stream,
 * then publishes batches until closed.
 *
 * @example
 * ```ts
 * import { createNatsEventSink } from "rmc-details/nats"
 * const sink = await createNatsEventSink({ servers: "127.0.0.1:4222" })
 * await sink.publish([])
 * await sink.close()
 * ```
 */
export const createNatsEventSink = (options: NatsEventSinkOptions = {}): Promise<EventSinkHandle> => openEventSink(makeNatsEventSink(options))
