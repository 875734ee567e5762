/**
 * The RabbitMQ event sink. Needs the optional peer dependency `amqplib`.
 *
 * @example
 * ```ts
 * import { createRabbitMqEventSink } from "rmc-details/rabbitmq"
 * const sink = await createRabbitMqEventSink({ url: "amqp://guest:guest@127.0.0.1:5672", exchange: "rmc.events" })
 * await sink.close()
 * ```
 *
 * @module rmc-details/rabbitmq
 */
export * from "./rabbitmq-event-sink"
export * from "./create-rabbitmq-event-sink"
