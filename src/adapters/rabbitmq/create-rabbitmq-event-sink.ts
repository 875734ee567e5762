import { type EventSinkHandle, openEventSink } from "../events/event-sink-handle"
import { makeRabbitMqEventSink, type RabbitMqEventSinkOptions } from "./rabbitmq-event-sink"

/**
 * The RabbitMQ event sink for the Promise API: connects and declares the exchange, then
 * publishes batches until closed.
 *
 * @example
 * ```ts
 * import { createRabbitMqEventSink } from "rmc-details/rabbitmq"
 * const sink = await createRabbitMqEventSink({ url: "amqp://guest:guest@127.0.0.1:5672" })
 * await sink.publish([])
 * await sink.close()
 * ```
 */
export const createRabbitMqEventSink = (options: RabbitMqEventSinkOptions = {}): Promise<EventSinkHandle> => openEventSink(makeRabbitMqEventSink(options))
