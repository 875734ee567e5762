import { Effect } from "effect"
import type { ActivityType } from "../../domain/activity/activity-event"
import type { EventAudience, EventEnvelope } from "../../domain/events/event-envelope"
import { envelopeForAudience } from "../../domain/events/to-event-envelope"
import { webhookHeaders } from "./standard-webhooks"

/**
 * One subscriber's endpoint, as stored by whoever keeps the subscriptions.
 *
 * @example
 * ```ts
 * import type { WebhookEndpoint } from "rmc-details/events"
 * const endpoint: WebhookEndpoint = {
 *   url: "https://crm.example.com/hooks/rmc",
 *   secrets: ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
 *   eventTypes: ["conversation.status_changed", "conversation.transferred"],
 * }
 * ```
 */
export interface WebhookEndpoint {
  readonly url: string
  /** Every secret to sign with: one, or the new and the old during a rotation. */
  readonly secrets: ReadonlyArray<string>
  /** The event types the endpoint receives; every type when absent. */
  readonly eventTypes?: ReadonlyArray<ActivityType> | undefined
  /**
   * `shareable` (default) or `internal`: an endpoint receives internal data (note bodies, personal
   * values) only when it opts in explicitly.
   */
  readonly audience?: EventAudience | undefined
}

/**
 * How often and how long a delivery is retried: attempt `n` failing with a retryable failure is
 * retried after `min(maxDelayMs, initialDelayMs * 2^(n-1))`, scaled by a random factor in
 * `[1 - jitter, 1]`, or after the receiver's `Retry-After` when it asks for longer. The attempt
 * numbered `maxAttempts` is the last: its failure dead-letters the event.
 *
 * @example
 * ```ts
 * import type { WebhookRetryPolicy } from "rmc-details/events"
 * const policy: WebhookRetryPolicy = { maxAttempts: 8, initialDelayMs: 5_000, maxDelayMs: 3_600_000, jitter: 0.5 }
 * ```
 */
export interface WebhookRetryPolicy {
  readonly maxAttempts: number
  readonly initialDelayMs: number
  readonly maxDelayMs: number
  /** Fraction of the delay that is random, from 0 (none) to 1 (full jitter). */
  readonly jitter: number
}

/**
 * The default retry policy: 8 attempts, from 5 seconds up to an hour apart, half jittered
 * (about 2 hours from the first attempt to the dead letter).
 *
 * @example
 * ```ts
 * import { defaultWebhookRetryPolicy } from "rmc-details/events"
 * const quick = { ...defaultWebhookRetryPolicy, maxAttempts: 3 }
 * ```
 */
export const defaultWebhookRetryPolicy: WebhookRetryPolicy = { maxAttempts: 8, initialDelayMs: 5_000, maxDelayMs: 3_600_000, jitter: 0.5 }

/**
 * Why an attempt failed: an HTTP status the receiver answered, a redirect (never followed: the
 * endpoint's URL must be fixed), no answer within the attempt's timeout, a network failure
 * (refused, reset), or an endpoint that cannot be called at all (not an http(s) URL, no valid
 * secret).
 *
 * @example
 * ```ts
 * import type { WebhookFailure } from "rmc-details/events"
 * const describe = (f: WebhookFailure) => (f.kind === "status" ? `HTTP ${f.status}` : f.kind)
 * ```
 */
export type WebhookFailure =
  | { readonly kind: "status"; readonly status: number }
  | { readonly kind: "redirect"; readonly status: number; readonly location: string | null }
  | { readonly kind: "timeout"; readonly timeoutMs: number }
  | { readonly kind: "network"; readonly message: string }
  | { readonly kind: "invalid_endpoint"; readonly message: string }

/**
 * The result of one delivery attempt, for the caller to persist:
 * - `Delivered`: the receiver answered 2xx;
 * - `Skipped`: the endpoint does not take this event (type filtered out, or internal for a
 *   shareable endpoint): nothing was sent;
 * - `RetryLater`: a retryable failure (5xx, 408, 429, timeout, reset); attempt `attempt + 1` is
 *   due at `retryAt`, and nothing later for this endpoint goes before it;
 * - `DeadLettered`: the last attempt failed, or the failure cannot heal by retrying (a redirect,
 *   another 4xx, an invalid endpoint): the event is set aside for a replay and the next one
 *   proceeds.
 *
 * @example
 * ```ts
 * import type { WebhookDeliveryOutcome } from "rmc-details/events"
 * const done = (o: WebhookDeliveryOutcome) => o._tag !== "RetryLater"
 * ```
 */
export type WebhookDeliveryOutcome =
  | { readonly _tag: "Delivered"; readonly eventId: string; readonly attempt: number; readonly status: number; readonly durationMs: number }
  | { readonly _tag: "Skipped"; readonly eventId: string; readonly reason: "filtered" | "not_shareable" }
  | {
      readonly _tag: "RetryLater"
      readonly eventId: string
      readonly attempt: number
      readonly failure: WebhookFailure
      readonly retryInMs: number
      readonly retryAt: string
    }
  | { readonly _tag: "DeadLettered"; readonly eventId: string; readonly attempt: number; readonly failure: WebhookFailure }

/**
 * Options of one delivery attempt.
 *
 * @example
 * ```ts
 * import type { WebhookDeliveryOptions } from "rmc-details/events"
 * const options: WebhookDeliveryOptions = { attempt: 1, timeoutMs: 10_000 }
 * ```
 */
export interface WebhookDeliveryOptions {
  /** The number of this attempt, from 1: the caller keeps the count between attempts. */
  readonly attempt: number
  readonly policy?: WebhookRetryPolicy | undefined
  /** How long the receiver has to answer; 10 seconds by default. */
  readonly timeoutMs?: number | undefined
  /** The fetch to send with (a proxy-aware one, say); the global fetch by default. */
  readonly fetch?: typeof fetch | undefined
  /** Source of randomness for the jitter, in [0, 1); `Math.random` by default. */
  readonly random?: (() => number) | undefined
  /** The `User-Agent` header; `rmc-details-webhooks` by default. */
  readonly userAgent?: string | undefined
}

const retryableStatus = (status: number) => status >= 500 || status === 408 || status === 429 || status === 425

/**
 * The delay before attempt `attempt + 1` after attempt `attempt` failed, per a policy.
 *
 * @example
 * ```ts
 * import { defaultWebhookRetryPolicy, webhookRetryDelay } from "rmc-details/events"
 * webhookRetryDelay(defaultWebhookRetryPolicy, 1, () => 0.999) // about 5,000 ms
 * ```
 */
export const webhookRetryDelay = (policy: WebhookRetryPolicy, attempt: number, random: () => number = Math.random): number => {
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, attempt - 1))
  return Math.round(base * (1 - policy.jitter + policy.jitter * random()))
}

const retryAfterMs = (value: string | null): number | undefined => {
  if (value === null) return undefined
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now())
}

const networkMessage = (cause: unknown): string => {
  const inner = cause instanceof Error && cause.cause instanceof Error ? cause.cause : cause
  const code = inner instanceof Error && "code" in inner ? ` (${String((inner as { code: unknown }).code)})` : ""
  return `${inner instanceof Error ? inner.message : String(inner)}${code}`
}

/**
 * Makes one attempt to deliver an envelope to an endpoint, signed the Standard Webhooks way
 * (`webhook-id` = event id, the same on every attempt, so the receiver de-duplicates), with a
 * per-attempt timeout and redirects not followed, and says what to do next. It never fails:
 * every failure is an outcome. Deliver an endpoint's events one at a time, in order, moving to
 * the next only after `Delivered`, `Skipped` or `DeadLettered`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { deliverWebhook, type EventEnvelope, type WebhookEndpoint } from "rmc-details/events"
 * declare const endpoint: WebhookEndpoint
 * declare const envelope: EventEnvelope
 * const outcome = await Effect.runPromise(deliverWebhook(endpoint, envelope, { attempt: 1 }))
 * if (outcome._tag === "RetryLater") console.log(`attempt ${outcome.attempt + 1} at ${outcome.retryAt}`)
 * ```
 */
export const deliverWebhook = (endpoint: WebhookEndpoint, envelope: EventEnvelope, options: WebhookDeliveryOptions): Effect.Effect<WebhookDeliveryOutcome> =>
  Effect.promise(() => deliverWebhookPromise(endpoint, envelope, options)).pipe(
    Effect.withSpan("rmc.events.webhook.deliver", { attributes: { eventId: envelope.id, type: envelope.type, attempt: options.attempt } }),
  )

/**
 * {@link deliverWebhook} for the Promise API.
 *
 * @example
 * ```ts
 * import { deliverWebhookPromise, type EventEnvelope } from "rmc-details/events"
 * declare const envelope: EventEnvelope
 * const outcome = await deliverWebhookPromise({ url: "https://crm.example.com/hooks/rmc", secrets: ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"] }, envelope, { attempt: 1 })
 * ```
 */
export const deliverWebhookPromise = async (
  endpoint: WebhookEndpoint,
  envelope: EventEnvelope,
  options: WebhookDeliveryOptions,
): Promise<WebhookDeliveryOutcome> => {
  if (endpoint.eventTypes !== undefined && !endpoint.eventTypes.includes(envelope.type)) {
    return { _tag: "Skipped", eventId: envelope.id, reason: "filtered" }
  }
  const narrowed = envelopeForAudience(envelope, endpoint.audience ?? "shareable")
  if (narrowed === undefined) return { _tag: "Skipped", eventId: envelope.id, reason: "not_shareable" }

  const policy = options.policy ?? defaultWebhookRetryPolicy
  const timeoutMs = options.timeoutMs ?? 10_000
  const body = JSON.stringify(narrowed)
  let signed: Record<string, string>
  try {
    const url = new URL(endpoint.url)
    if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error(`${url.protocol} is not http or https`)
    signed = await webhookHeaders({ id: narrowed.id, timestamp: Math.floor(Date.now() / 1000), body }, endpoint.secrets)
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause)
    return { _tag: "DeadLettered", eventId: envelope.id, attempt: options.attempt, failure: { kind: "invalid_endpoint", message } }
  }
  const started = performance.now()
  let failure: WebhookFailure
  let asked: number | undefined
  try {
    const response = await (options.fetch ?? fetch)(endpoint.url, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": options.userAgent ?? "rmc-details-webhooks", ...signed },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    })
    // The answer's body is of no use: release the connection at once.
    await response.body?.cancel().catch(() => undefined)
    if (response.status >= 200 && response.status < 300) {
      return { _tag: "Delivered", eventId: envelope.id, attempt: options.attempt, status: response.status, durationMs: Math.round(performance.now() - started) }
    }
    if (response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400)) {
      return {
        _tag: "DeadLettered",
        eventId: envelope.id,
        attempt: options.attempt,
        failure: { kind: "redirect", status: response.status, location: response.headers.get("location") },
      }
    }
    failure = { kind: "status", status: response.status }
    if (!retryableStatus(response.status)) return { _tag: "DeadLettered", eventId: envelope.id, attempt: options.attempt, failure }
    asked = retryAfterMs(response.headers.get("retry-after"))
  } catch (cause) {
    failure =
      cause instanceof DOMException && (cause.name === "TimeoutError" || cause.name === "AbortError")
        ? { kind: "timeout", timeoutMs }
        : { kind: "network", message: networkMessage(cause) }
  }
  if (options.attempt >= policy.maxAttempts) return { _tag: "DeadLettered", eventId: envelope.id, attempt: options.attempt, failure }
  const backoff = webhookRetryDelay(policy, options.attempt, options.random)
  const retryInMs = asked === undefined ? backoff : Math.min(policy.maxDelayMs, Math.max(backoff, asked))
  return { _tag: "RetryLater", eventId: envelope.id, attempt: options.attempt, failure, retryInMs, retryAt: new Date(Date.now() + retryInMs).toISOString() }
}

/**
 * Delivers envelopes to one endpoint in order, in this process: each is attempted until it is
 * delivered, skipped or dead-lettered, sleeping between attempts as its outcome says, before the
 * next one starts. For a single process that keeps no delivery state; a relay that survives
 * restarts persists each {@link deliverWebhook} outcome instead.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { deliverWebhooksInOrder, type EventEnvelope } from "rmc-details/events"
 * declare const envelopes: ReadonlyArray<EventEnvelope>
 * const outcomes = await Effect.runPromise(deliverWebhooksInOrder({ url: "https://crm.example.com/hooks/rmc", secrets: ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"] }, envelopes))
 * ```
 */
export const deliverWebhooksInOrder = (
  endpoint: WebhookEndpoint,
  envelopes: ReadonlyArray<EventEnvelope>,
  options: Omit<WebhookDeliveryOptions, "attempt"> = {},
): Effect.Effect<ReadonlyArray<WebhookDeliveryOutcome>> =>
  Effect.gen(function* () {
    const outcomes: Array<WebhookDeliveryOutcome> = []
    for (const envelope of envelopes) {
      for (let attempt = 1; ; attempt++) {
        const outcome = yield* deliverWebhook(endpoint, envelope, { ...options, attempt })
        if (outcome._tag !== "RetryLater") {
          outcomes.push(outcome)
          break
        }
        yield* Effect.sleep(outcome.retryInMs)
      }
    }
    return outcomes
  })
