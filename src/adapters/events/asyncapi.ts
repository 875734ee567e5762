import * as z from "zod"
import { ActivityType } from "../../domain/activity/activity-event"
import { eventClassification } from "../../domain/events/event-classification"
import { EventEnvelope, eventSchemaVersion } from "../../domain/events/event-envelope"

/**
 * What the AsyncAPI document says of itself, and where its servers are.
 *
 * @example
 * ```ts
 * import type { AsyncApiInfo } from "rmc-details/events"
 * const info: AsyncApiInfo = { title: "Details events", natsUrl: "nats.example.com:4222", amqpUrl: "rabbitmq.example.com:5672" }
 * ```
 */
export interface AsyncApiInfo {
  readonly title?: string | undefined
  readonly version?: string | undefined
  /** Host of the NATS server; the NATS channel is left out when absent and `amqpUrl` is given. */
  readonly natsUrl?: string | undefined
  readonly amqpUrl?: string | undefined
  /** First token of NATS subjects; `rmc` by default. */
  readonly subjectPrefix?: string | undefined
  /** The RabbitMQ topic exchange; `rmc.events` by default. */
  readonly exchange?: string | undefined
}

/**
 * An AsyncAPI 3.0 document, as JSON.
 *
 * @example
 * ```ts
 * import type { AsyncApiDocument } from "rmc-details/events"
 * const messageCount = (d: AsyncApiDocument) => Object.keys(d.components.messages).length
 * ```
 */
export interface AsyncApiDocument {
  readonly asyncapi: "3.0.0"
  readonly info: { readonly title: string; readonly version: string; readonly description?: string }
  readonly channels: Record<string, unknown>
  readonly operations: Record<string, unknown>
  readonly components: { readonly schemas: Record<string, unknown>; readonly messages: Record<string, unknown> }
  readonly [key: string]: unknown
}

const messageId = (type: ActivityType) => type.replace(".", "_")

/**
 * The AsyncAPI 3.0 document of the events, generated from the same zod schema that the SDK
 * publishes with ({@link EventEnvelope}): one message per event type, with its classification,
 * on a NATS channel (`<prefix>.<tenant>.<type>`), a RabbitMQ channel (routing key
 * `<tenant>.<type>`) and the webhook channel. Unknown fields are allowed by the schema: consumers
 * ignore fields added by a later minor version.
 *
 * @example
 * ```ts
 * import { asyncApiDocument } from "rmc-details/events"
 * const document = asyncApiDocument({ title: "Details events", natsUrl: "nats.example.com:4222" })
 * Object.keys(document.components.messages).length
 * ```
 */
export const asyncApiDocument = (info: AsyncApiInfo = {}): AsyncApiDocument => {
  const prefix = info.subjectPrefix ?? "rmc"
  const exchange = info.exchange ?? "rmc.events"
  // Input mode: objects stay open to fields a later version adds.
  const generated = z.toJSONSchema(EventEnvelope, { target: "draft-7", io: "input" }) as { definitions?: Record<string, unknown> }
  const schemas = JSON.parse(JSON.stringify(generated.definitions ?? {}).replaceAll('"#/definitions/', '"#/components/schemas/')) as Record<string, unknown>

  const messages: Record<string, unknown> = {}
  for (const type of ActivityType.options) {
    const classification = eventClassification[type]
    const shareable =
      classification.visibility === "internal"
        ? "Internal: sent only to audiences that opted in to internal data."
        : `Shareable. A shareable audience receives ${classification.shareableFields.length > 0 ? classification.shareableFields.map((f) => `\`${f}\``).join(", ") : "no value"} of \`data\`; other fields are listed in \`redacted\`.`
    messages[messageId(type)] = {
      name: type,
      title: type,
      summary: `\`${type}\` about a ${classification.subject}.`,
      description: shareable,
      contentType: "application/json",
      payload: {
        allOf: [{ $ref: "#/components/schemas/EventEnvelope" }, { type: "object", properties: { type: { const: type } }, required: ["type"] }],
      },
      "x-rmc-visibility": classification.visibility,
      "x-rmc-shareable-fields": classification.shareableFields,
    }
  }
  const allMessages = Object.fromEntries(ActivityType.options.map((type) => [messageId(type), { $ref: `#/components/messages/${messageId(type)}` }]))
  const typeParameter = { enum: [...ActivityType.options], description: "The event type, `<entity>.<change>`." }
  const tenantParameter = {
    description: "The tenant id, encoded as one subject token (`encodeBrokerToken`): characters other than letters, digits, `_` and `-` become `~HH`.",
  }
  const channelMessages = (channel: string) => ActivityType.options.map((type) => ({ $ref: `#/channels/${channel}/messages/${messageId(type)}` }))

  return {
    asyncapi: "3.0.0",
    info: {
      title: info.title ?? "rmc-details events",
      version: info.version ?? `${eventSchemaVersion}.0.0`,
      description:
        "Events of the Details panel, published at least once in commit order per tenant. De-duplicate by the envelope `id` (also the NATS `Nats-Msg-Id`, the AMQP `message-id` and the `webhook-id`).",
    },
    defaultContentType: "application/json",
    servers: {
      ...(info.natsUrl !== undefined && { nats: { host: info.natsUrl, protocol: "nats", description: "NATS JetStream" } }),
      ...(info.amqpUrl !== undefined && { rabbitmq: { host: info.amqpUrl, protocol: "amqp", protocolVersion: "0.9.1", description: "RabbitMQ" } }),
    },
    channels: {
      nats: {
        address: `${prefix}.{tenant}.{eventType}`,
        title: "NATS JetStream subjects",
        description: "One subject per tenant and event type, captured by one stream. `Nats-Msg-Id` is the event id.",
        parameters: { tenant: tenantParameter, eventType: typeParameter },
        messages: allMessages,
      },
      rabbitmq: {
        address: "{tenant}.{eventType}",
        title: `RabbitMQ routing keys on the topic exchange ${exchange}`,
        description: "Persistent messages; the AMQP `message-id` is the event id and `type` the event type.",
        parameters: { tenant: tenantParameter, eventType: typeParameter },
        messages: allMessages,
        bindings: {
          amqp: { is: "routingKey", exchange: { name: exchange, type: "topic", durable: true, autoDelete: false, vhost: "/" }, bindingVersion: "0.3.0" },
        },
      },
      webhook: {
        address: null,
        title: "Signed webhooks",
        description:
          "POSTed to each subscribed endpoint, one event per request, in order per endpoint, signed the Standard Webhooks way (`webhook-id`, `webhook-timestamp`, `webhook-signature`).",
        messages: allMessages,
      },
    },
    operations: {
      publishToNats: { action: "send", channel: { $ref: "#/channels/nats" }, messages: channelMessages("nats") },
      publishToRabbitMq: { action: "send", channel: { $ref: "#/channels/rabbitmq" }, messages: channelMessages("rabbitmq") },
      deliverWebhook: { action: "send", channel: { $ref: "#/channels/webhook" }, messages: channelMessages("webhook") },
    },
    components: { schemas, messages },
  }
}
