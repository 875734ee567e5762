import { Effect, Layer } from "effect"
import { truncateText } from "../../../domain/call/call-attempt"
import { CallRejectedError, TelephonyUnavailableError } from "../../../domain/shared/errors"
import { type DialRequest, type DialResult, Telephony } from "../../../ports/telephony"
import { decodeChunks } from "../read-body"

/**
 * Options of the click-to-call adapter for a VoIP platform's REST API.
 *
 * @example
 * ```ts
 * import type { HttpTelephonyOptions } from "rmc-details/http"
 * const options: HttpTelephonyOptions = { baseUrl: "https://voip.example.com/api", credentials: { bearer: "s3cr3t" } }
 * ```
 */
export interface HttpTelephonyOptions {
  /** The platform's API root. */
  readonly baseUrl: string
  /** Path of the originate (click-to-call) endpoint; `/calls` by default. */
  readonly originatePath?: string | undefined
  /** Bearer token or basic credentials. */
  readonly credentials?: { readonly bearer: string } | { readonly username: string; readonly password: string } | undefined
  /** More headers, computed per request. */
  readonly headers?: (() => Record<string, string> | Promise<Record<string, string>>) | undefined
  /**
   * The header that carries the idempotency key; `Idempotency-Key` by default. Its value is the
   * tenant id (URI-encoded), a colon, then the call's key: one key in two tenants is two calls.
   */
  readonly idempotencyHeader?: string | undefined
  /** The JSON body of an originate request; `{ to, agentId, reference, conversationId }` by default. */
  readonly toPayload?: ((request: DialRequest) => unknown) | undefined
  /** The platform's call id in its answer; `id` or `callId` by default. */
  readonly fromResponse?: ((body: unknown) => string | undefined) | undefined
  /** Time allowed to each attempt; 5 s by default. */
  readonly attemptTimeoutMs?: number | undefined
  /** Time allowed to the whole dial, retries included; 15 s by default. */
  readonly deadlineMs?: number | undefined
  /** Attempts after the first; 3 by default. */
  readonly retries?: number | undefined
  /** First backoff delay, doubled at each retry; 100 ms by default. */
  readonly backoffMs?: number | undefined
  /**
   * Whether the platform places at most one call per idempotency key. When it does (the default),
   * an attempt whose outcome is unknown (a timeout, a reset connection, a 5xx) is retried with the
   * same key; when it does not, only attempts known to have placed nothing are retried.
   */
  readonly platformHonoursIdempotencyKey?: boolean | undefined
  /** The fetch to use; the global one by default. */
  readonly fetch?: typeof fetch | undefined
}

type Attempt =
  | { readonly kind: "placed"; readonly providerCallId: string }
  | { readonly kind: "rejected"; readonly error: CallRejectedError }
  | { readonly kind: "not_placed"; readonly retryAfterMs?: number | undefined; readonly why: string }
  | { readonly kind: "unknown"; readonly why: string }
  | { readonly kind: "redirected"; readonly status: number }

/** The largest answer read from the platform: an originate answer is a few hundred bytes. */
const maxAnswerBytes = 64 * 1024
/** The longest refusal reason code kept from the platform's answer. */
const maxReasonLength = 200
/** The longest call id accepted from the platform (longer ones are stored as a digest by the SDK). */
const maxCallIdLength = 4096

/** The answer's body as text, or `undefined` when it was cut off or is larger than `maxAnswerBytes`. */
const readAnswer = async (response: Response): Promise<string | undefined> => {
  if (response.body === null) return ""
  const reader = response.body.getReader()
  const chunks: Array<Uint8Array> = []
  let size = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      size += value.byteLength
      if (size > maxAnswerBytes) {
        await reader.cancel().catch(() => undefined)
        return undefined
      }
      chunks.push(value)
    }
  } catch {
    return undefined
  }
  return decodeChunks(chunks, size)
}

const refusedBeforeSending = (error: unknown): boolean => {
  const code = (error as { cause?: { code?: string } })?.cause?.code
  return code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EAI_AGAIN"
}

const retryAfter = (header: string | null): number | undefined => {
  if (header === null) return undefined
  const seconds = Number(header)
  if (Number.isFinite(seconds)) return seconds * 1000
  const date = Date.parse(header)
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now())
}

const defaultCallId = (body: unknown): string | undefined => {
  const b = body as { id?: unknown; callId?: unknown } | null
  const id = b?.id ?? b?.callId
  return typeof id === "string" || typeof id === "number" ? String(id) : undefined
}

const usableCallId = (id: string | undefined): string | undefined => (id === undefined || id === "" || id.length > maxCallIdLength ? undefined : id)

const redirectError = (status: number) =>
  new TelephonyUnavailableError({
    message: `The telephony system answered ${status}, a redirect: redirects are not followed (check baseUrl)`,
    // 303 is how some APIs answer a POST that was carried out; any other redirect carried out nothing.
    outcome: status === 303 ? "unknown" : "not_placed",
  })

// Keys belong to a tenant, while the platform has one key space for every tenant of the SDK.
const platformKey = (request: DialRequest): string => `${encodeURIComponent(request.tenantId)}:${request.idempotencyKey}`

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms)
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer)
        resolve()
      },
      { once: true },
    )
  })

/**
 * The telephony port on a VoIP platform's click-to-call REST API.
 *
 * It forwards the call's idempotency key, gives each attempt a timeout and the whole dial a
 * deadline, and retries with exponential backoff only when a retry cannot place a second call:
 * when the platform placed nothing (connection refused, 429, 503), or, if the platform honours
 * idempotency keys, when the outcome is unknown (timeout, reset connection, other 5xx). A 4xx is
 * the platform refusing the call: {@link CallRejectedError}. Out of time or attempts, it fails with
 * {@link TelephonyUnavailableError}, whose `outcome` says whether a call may have been placed.
 *
 * It follows no redirect: a 3xx fails at once with {@link TelephonyUnavailableError} (outcome
 * `not_placed`, or `unknown` for a 303), so credentials and call requests never reach another
 * host. It reads at most 64 KiB of an answer, keeps at most 200 characters of a refusal reason,
 * and takes a call id of up to 4,096 characters (the SDK stores ids over 200 as their digest).
 *
 * @example
 * ```ts
 * import { makeHttpTelephony } from "rmc-details/http"
 * const telephony = makeHttpTelephony({ baseUrl: "https://voip.example.com/api", credentials: { bearer: "s3cr3t" } })
 * ```
 */
export const makeHttpTelephony = (options: HttpTelephonyOptions): Telephony["Service"] => {
  const url = `${options.baseUrl.replace(/\/+$/, "")}${options.originatePath ?? "/calls"}`
  const attemptTimeoutMs = options.attemptTimeoutMs ?? 5_000
  const deadlineMs = options.deadlineMs ?? 15_000
  const retries = options.retries ?? 3
  const backoffMs = options.backoffMs ?? 100
  const honoursKey = options.platformHonoursIdempotencyKey ?? true
  const doFetch = options.fetch ?? fetch

  const attempt = async (request: DialRequest, signal: AbortSignal): Promise<Attempt> => {
    const headers: Record<string, string> = {
      "content-type": "application/json",
      accept: "application/json",
      [options.idempotencyHeader ?? "Idempotency-Key"]: platformKey(request),
      ...(await options.headers?.()),
    }
    const credentials = options.credentials
    if (credentials !== undefined) {
      headers.authorization = "bearer" in credentials ? `Bearer ${credentials.bearer}` : `Basic ${basicCredentials(credentials.username, credentials.password)}`
    }
    const body = options.toPayload?.(request) ?? { to: request.to, agentId: request.agentId, reference: request.callId, conversationId: request.conversationId }
    let response: Response
    try {
      // A redirect is never followed: the request, its credentials and its idempotency key go to
      // baseUrl and nowhere else.
      response = await doFetch(url, {
        method: "POST",
        headers,
        body: JSON.stringify(body),
        redirect: "manual",
        signal: AbortSignal.any([signal, AbortSignal.timeout(attemptTimeoutMs)]),
      })
    } catch (error) {
      return refusedBeforeSending(error)
        ? { kind: "not_placed", why: "the platform could not be reached" }
        : { kind: "unknown", why: "no answer from the platform" }
    }
    if ((response.status >= 300 && response.status < 400) || response.type === "opaqueredirect") {
      await response.body?.cancel().catch(() => undefined)
      return { kind: "redirected", status: response.status }
    }
    const text = await readAnswer(response)
    if (text === undefined && response.ok) return { kind: "unknown", why: "the answer was cut off or too large" }
    let json: unknown = null
    try {
      json = text === undefined || text === "" ? null : JSON.parse(text)
    } catch {
      json = null
    }
    if (response.ok) {
      const providerCallId = usableCallId((options.fromResponse ?? defaultCallId)(json))
      return providerCallId === undefined ? { kind: "unknown", why: "the answer has no call id" } : { kind: "placed", providerCallId }
    }
    if (response.status === 429 || response.status === 503) {
      return { kind: "not_placed", retryAfterMs: retryAfter(response.headers.get("retry-after")), why: `the platform answered ${response.status}` }
    }
    if (response.status >= 500) return { kind: "unknown", why: `the platform answered ${response.status}` }
    const reason = json as { reason?: unknown; code?: unknown; error?: unknown } | null
    return {
      kind: "rejected",
      error: new CallRejectedError({
        message: `The telephony system refused the call (${response.status})`,
        reason: truncateText(String(reason?.reason ?? reason?.code ?? reason?.error ?? `http_${response.status}`), maxReasonLength),
      }),
    }
  }

  const dial = async (request: DialRequest, signal: AbortSignal): Promise<DialResult> => {
    const deadline = AbortSignal.any([signal, AbortSignal.timeout(deadlineMs)])
    let maybePlaced = false
    let last = "no attempt"
    for (let n = 0; n <= retries && !deadline.aborted; n++) {
      const result = await attempt(request, deadline)
      if (result.kind === "placed") return { providerCallId: result.providerCallId }
      if (result.kind === "rejected") throw result.error
      if (result.kind === "redirected") throw redirectError(result.status)
      last = result.why
      if (result.kind === "unknown") {
        maybePlaced = true
        if (!honoursKey) break
      }
      const wait = result.kind === "not_placed" && result.retryAfterMs !== undefined ? result.retryAfterMs : backoffMs * 2 ** n * (0.5 + Math.random() / 2)
      if (n < retries) await sleep(wait, deadline)
    }
    throw new TelephonyUnavailableError({
      message: `The telephony system is unavailable: ${last}`,
      outcome: maybePlaced ? "unknown" : "not_placed",
    })
  }

  return Telephony.of({
    dial: (request) =>
      Effect.tryPromise({
        try: (signal) => dial(request, signal),
        catch: (error) =>
          error instanceof CallRejectedError || error instanceof TelephonyUnavailableError
            ? error
            : new TelephonyUnavailableError({ message: "The telephony system is unavailable", outcome: "unknown" }),
      }),
  })
}

/**
 * A layer with {@link makeHttpTelephony}.
 *
 * @example
 * ```ts
 * import { createRmc, memoryStorage } from "rmc-details"
 * import { httpTelephony } from "rmc-details/http"
 * const rmc = createRmc({ storage: memoryStorage(), telephony: httpTelephony({ baseUrl: "https://voip.example.com/api" }) })
 * ```
 */
export const httpTelephony = (options: HttpTelephonyOptions): Layer.Layer<Telephony> => Layer.succeed(Telephony, makeHttpTelephony(options))

/** `user:password` in UTF-8 then base64, as RFC 7617 says (`btoa` alone takes Latin-1 only). */
const basicCredentials = (username: string, password: string): string =>
  btoa(Array.from(new TextEncoder().encode(`${username}:${password}`), (byte) => String.fromCharCode(byte)).join(""))
