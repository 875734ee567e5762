import { EventEnvelope } from "../../domain/events/event-envelope"
import { type VerifyWebhookOptions, verifyWebhook, WebhookVerificationError } from "./standard-webhooks"

/**
 * The receiving end of the SDK's webhooks, for a fetch-standard handler (Hono, Bun, Deno, edge
 * functions): verifies the Standard Webhooks signature and timestamp of a request and parses its
 * body as an {@link EventEnvelope}. Rejects with {@link WebhookVerificationError}; answer 401
 * then, and 2xx once the event is handled (de-duplicated by `envelope.id`).
 *
 * @example
 * ```ts
 * import { receiveEventWebhook } from "rmc-details/events"
 * const handler = async (request: Request): Promise<Response> => {
 *   const envelope = await receiveEventWebhook(request, { secrets: ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"] }).catch(() => undefined)
 *   if (envelope === undefined) return new Response(null, { status: 401 })
 *   console.log(envelope.type, envelope.id)
 *   return new Response(null, { status: 204 })
 * }
 * ```
 */
export const receiveEventWebhook = async (request: Request, options: VerifyWebhookOptions): Promise<EventEnvelope> => {
  const body = await request.text()
  await verifyWebhook(body, request.headers, options)
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {
    throw new WebhookVerificationError({ message: "The webhook body is not JSON", reason: "invalid_body" })
  }
  const parsed = EventEnvelope.safeParse(json)
  if (!parsed.success)
    throw new WebhookVerificationError({ message: `The webhook body is not an event envelope: ${parsed.error.message}`, reason: "invalid_body" })
  return parsed.data
}
