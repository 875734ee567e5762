import { Data } from "effect"

// Web Crypto, atob/btoa and TextEncoder only: this module runs unchanged on Node, Bun, Deno and
// edge runtimes.

const secretPrefix = "whsec_"
const encoder = new TextEncoder()

const toBase64 = (bytes: Uint8Array): string => {
  let binary = ""
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary)
}

const fromBase64 = (text: string): Uint8Array<ArrayBuffer> => {
  const binary = atob(text)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

/**
 * Why a webhook request failed verification.
 *
 * @example
 * ```ts
 * import { WebhookVerificationError } from "rmc-details/events"
 * new WebhookVerificationError({ message: "no signature matches", reason: "invalid_signature" })
 * ```
 */
export class WebhookVerificationError extends Data.TaggedError("WebhookVerificationError")<{
  readonly message: string
  readonly reason: "missing_headers" | "invalid_timestamp" | "timestamp_out_of_tolerance" | "invalid_signature" | "invalid_secret" | "invalid_body"
}> {}

/**
 * The key bytes of a Standard Webhooks secret: `whsec_` followed by the base64 of 24 to 64
 * random bytes (the prefix may be left out).
 *
 * @example
 * ```ts
 * import { webhookSecretKey } from "rmc-details/events"
 * webhookSecretKey("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").length // 24
 * ```
 */
export const webhookSecretKey = (secret: string): Uint8Array<ArrayBuffer> => {
  const encoded = secret.startsWith(secretPrefix) ? secret.slice(secretPrefix.length) : secret
  let key: Uint8Array<ArrayBuffer>
  try {
    key = fromBase64(encoded)
  } catch {
    throw new WebhookVerificationError({ message: "The webhook secret is not base64", reason: "invalid_secret" })
  }
  if (key.length < 16) throw new WebhookVerificationError({ message: "The webhook secret is shorter than 16 bytes", reason: "invalid_secret" })
  return key
}

/**
 * A new random secret for an endpoint, `whsec_` + base64 of 32 bytes.
 *
 * @example
 * ```ts
 * import { generateWebhookSecret } from "rmc-details/events"
 * const secret = generateWebhookSecret() // "whsec_..."
 * ```
 */
export const generateWebhookSecret = (): string => `${secretPrefix}${toBase64(crypto.getRandomValues(new Uint8Array(32)))}`

const hmacKey = (secret: string, usage: "sign" | "verify") =>
  crypto.subtle.importKey("raw", webhookSecretKey(secret), { name: "HMAC", hash: "SHA-256" }, false, [usage])

const signedContent = (id: string, timestamp: number, body: string) => encoder.encode(`${id}.${timestamp}.${body}`)

/**
 * What a webhook request is signed over: its id, its timestamp (seconds since the epoch) and the
 * exact body sent.
 *
 * @example
 * ```ts
 * import type { WebhookMessage } from "rmc-details/events"
 * const message: WebhookMessage = { id: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11", timestamp: 1767225600, body: "{}" }
 * ```
 */
export interface WebhookMessage {
  readonly id: string
  readonly timestamp: number
  readonly body: string
}

/**
 * The `webhook-signature` header value of a message: `v1,<base64 HMAC-SHA256 of
 * "id.timestamp.body">`, one per secret, separated by spaces. Sign with the old and the new
 * secret while a receiver rotates from one to the other.
 *
 * @example
 * ```ts
 * import { signWebhook } from "rmc-details/events"
 * const signature = await signWebhook({ id: "msg_1", timestamp: 1767225600, body: "{}" }, ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"])
 * ```
 */
export const signWebhook = async (message: WebhookMessage, secrets: ReadonlyArray<string>): Promise<string> => {
  if (secrets.length === 0) throw new WebhookVerificationError({ message: "No secret to sign with", reason: "invalid_secret" })
  const content = signedContent(message.id, message.timestamp, message.body)
  const signatures = await Promise.all(
    secrets.map(async (secret) => `v1,${toBase64(new Uint8Array(await crypto.subtle.sign("HMAC", await hmacKey(secret, "sign"), content)))}`),
  )
  return signatures.join(" ")
}

/**
 * The three Standard Webhooks headers of a message: `webhook-id`, `webhook-timestamp` and
 * `webhook-signature`.
 *
 * @example
 * ```ts
 * import { webhookHeaders } from "rmc-details/events"
 * const headers = await webhookHeaders({ id: "msg_1", timestamp: Math.floor(Date.now() / 1000), body: "{}" }, ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"])
 * ```
 */
export const webhookHeaders = async (message: WebhookMessage, secrets: ReadonlyArray<string>): Promise<Record<string, string>> => ({
  "webhook-id": message.id,
  "webhook-timestamp": String(message.timestamp),
  "webhook-signature": await signWebhook(message, secrets),
})

/**
 * Options of {@link verifyWebhook}.
 *
 * @example
 * ```ts
 * import type { VerifyWebhookOptions } from "rmc-details/events"
 * const options: VerifyWebhookOptions = { secrets: ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"], toleranceSeconds: 300 }
 * ```
 */
export interface VerifyWebhookOptions {
  /** Every secret currently accepted: the new and the old one during a rotation. */
  readonly secrets: ReadonlyArray<string>
  /** How far the timestamp may be from now, either way; 5 minutes by default. */
  readonly toleranceSeconds?: number
  /** The current time; `Date.now()` by default. */
  readonly now?: () => number
}

const header = (headers: Headers | Record<string, string | undefined>, name: string): string | undefined =>
  headers instanceof Headers ? (headers.get(name) ?? undefined) : (headers[name] ?? headers[name.toLowerCase()])

/**
 * Verifies a received webhook the Standard Webhooks way: the three headers are present, the
 * timestamp is within tolerance (refusing replays of old requests), and one `v1` signature of
 * the header matches one of the secrets (compared in constant time by Web Crypto). Resolves with
 * the message id, the key to de-duplicate on; rejects with {@link WebhookVerificationError}.
 *
 * @example
 * ```ts
 * import { verifyWebhook } from "rmc-details/events"
 * const handle = async (request: Request) => {
 *   const body = await request.text()
 *   const id = await verifyWebhook(body, request.headers, { secrets: ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"] })
 *   return new Response(null, { status: 204 })
 * }
 * ```
 */
export const verifyWebhook = async (body: string, headers: Headers | Record<string, string | undefined>, options: VerifyWebhookOptions): Promise<string> => {
  const id = header(headers, "webhook-id")
  const timestampText = header(headers, "webhook-timestamp")
  const signatures = header(headers, "webhook-signature")
  if (id === undefined || timestampText === undefined || signatures === undefined) {
    throw new WebhookVerificationError({ message: "Missing webhook-id, webhook-timestamp or webhook-signature", reason: "missing_headers" })
  }
  if (!/^\d{1,12}$/.test(timestampText))
    throw new WebhookVerificationError({ message: "webhook-timestamp is not a number of seconds", reason: "invalid_timestamp" })
  const timestamp = Number(timestampText)
  const now = Math.floor((options.now ?? Date.now)() / 1000)
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? 300)) {
    throw new WebhookVerificationError({ message: "webhook-timestamp is too far from now", reason: "timestamp_out_of_tolerance" })
  }
  const content = signedContent(id, timestamp, body)
  const candidates: Array<Uint8Array<ArrayBuffer>> = []
  for (const entry of signatures.split(" ")) {
    const [version, encoded] = entry.split(",", 2)
    if (version !== "v1" || encoded === undefined) continue
    try {
      candidates.push(fromBase64(encoded))
    } catch {
      // A malformed signature matches nothing; another one may still match.
    }
  }
  for (const secret of options.secrets) {
    const key = await hmacKey(secret, "verify")
    for (const candidate of candidates) {
      if (await crypto.subtle.verify("HMAC", key, candidate, content)) return id
    }
  }
  throw new WebhookVerificationError({ message: "No webhook-signature matches a secret", reason: "invalid_signature" })
}
