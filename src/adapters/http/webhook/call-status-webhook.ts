import * as z from "zod"
import { isRmcError } from "../../../domain/shared/errors"
import { ExternalId } from "../../../domain/shared/ids"
import type { Principal } from "../../../domain/shared/principal"
import { text } from "../../../domain/shared/text"
import type { RmcApi } from "../../../use-cases/catalog"
import { readRawBody } from "../read-body"
import type { FetchHandler } from "../rmc-handler"
import { HttpRequestError, statusOf, toProblem } from "../problem"

/**
 * A call-status report as the webhook receives it. Platforms with another shape map theirs with
 * `toReport`. It names no tenant: the tenant of a delivery is the one its URL (or credential) names,
 * and the signature is checked with that tenant's own secrets.
 *
 * @example
 * ```ts
 * import { CallStatusReport } from "rmc-details/http"
 * CallStatusReport.parse({ providerCallId: "c-981", status: "answered", at: "2026-03-01T10:00:05Z" })
 * ```
 */
export const CallStatusReport = z.object({
  providerCallId: text({ min: 1, max: 200, trim: false }),
  status: z.enum(["ringing", "answered", "completed", "failed", "busy", "no_answer"]),
  at: z.iso.datetime({ offset: true }),
  reason: text({ max: 500, multiline: true, trim: false }).optional(),
})

/**
 * A call-status report.
 *
 * @example
 * ```ts
 * import type { CallStatusReport } from "rmc-details/http"
 * const done = (r: CallStatusReport) => r.status === "completed"
 * ```
 */
export type CallStatusReport = z.infer<typeof CallStatusReport>

/**
 * The webhook secrets of each tenant: a function of the tenant id (from the embedding product's own
 * secret store), or a record by tenant id. The first secret of a tenant is the current one; any of
 * them verifies, so that a secret can be rotated. A tenant without secrets gets no delivery accepted.
 *
 * @example
 * ```ts
 * import type { TenantWebhookSecrets } from "rmc-details/http"
 * const fixed: TenantWebhookSecrets = { acme: ["whsec_current", "whsec_previous"], globex: ["whsec_globex"] }
 * const looked: TenantWebhookSecrets = async (tenantId) => (tenantId === "acme" ? ["whsec_current"] : [])
 * ```
 */
export type TenantWebhookSecrets =
  | Readonly<Record<string, ReadonlyArray<string>>>
  | ((tenantId: string) => ReadonlyArray<string> | null | undefined | Promise<ReadonlyArray<string> | null | undefined>)

/**
 * Options of {@link createCallStatusWebhook}.
 *
 * @example
 * ```ts
 * import { createRmc, memoryStorage } from "rmc-details"
 * import type { CallStatusWebhookOptions } from "rmc-details/http"
 * const options: CallStatusWebhookOptions = {
 *   rmc: createRmc({ storage: memoryStorage() }),
 *   secrets: { acme: ["whsec_current", "whsec_previous"] },
 * }
 * ```
 */
export interface CallStatusWebhookOptions {
  readonly rmc: {
    /** The Promise API of a principal. */
    as(principal: Principal): RmcApi
  }
  /** Each tenant's own secrets: a delivery for a tenant verifies only with that tenant's secrets. */
  readonly secrets: TenantWebhookSecrets
  /**
   * The tenant a delivery is for, from its route or credential (never from the payload, which the
   * platform writes): the last segment of the URL path by default, so that each tenant is given its
   * own URL, e.g. `https://rmc.example.com/webhooks/call-status/acme`. `null` answers 404.
   */
  readonly tenantOf?: ((request: Request) => string | null | Promise<string | null>) | undefined
  /** How old a delivery may be, in seconds; 300 by default. Older ones are refused as replays. */
  readonly toleranceSeconds?: number | undefined
  /** Maps the platform's payload to a report; the payload is a {@link CallStatusReport} by default. */
  readonly toReport?: ((payload: unknown) => unknown) | undefined
  /** The agent id recorded in the activity log; `telephony` by default. */
  readonly actorId?: string | undefined
  /** The current time, for tests; `Date.now` by default. */
  readonly now?: (() => number) | undefined
}

const encoder = new TextEncoder()

const hmacKey = (secret: string, usage: "sign" | "verify"): Promise<CryptoKey> =>
  crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [usage])

const toHex = (bytes: Uint8Array): string => Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("")

/** 64 hex digits (checked by the header's pattern) as the 32 bytes they spell. */
const fromHex = (hex: string): Uint8Array<ArrayBuffer> => {
  const bytes = new Uint8Array(hex.length / 2)
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16)
  return bytes
}

/**
 * The signature headers of a delivery: `X-RMC-Timestamp` (Unix seconds) and `X-RMC-Signature`
 * (`v1=` and the hex HMAC-SHA256 of `timestamp.body` with the shared secret). Signed with Web
 * Crypto, so it runs on Node, Bun, Deno and edge runtimes alike.
 *
 * @example
 * ```ts
 * import { signWebhook } from "rmc-details/http"
 * const headers = await signWebhook("whsec_current", JSON.stringify({ status: "ringing" }), Math.floor(Date.now() / 1000))
 * ```
 */
export const signWebhook = async (secret: string, body: string, timestamp: number): Promise<Record<string, string>> => {
  const digest = await crypto.subtle.sign("HMAC", await hmacKey(secret, "sign"), encoder.encode(`${timestamp}.${body}`))
  return { "x-rmc-timestamp": String(timestamp), "x-rmc-signature": `v1=${toHex(new Uint8Array(digest))}` }
}

/** Whether `signature` is the HMAC of `timestamp.body` under one of the secrets, in constant time. */
const verifiedBySome = async (secrets: ReadonlyArray<string>, body: string, timestamp: number, signature: Uint8Array<ArrayBuffer>): Promise<boolean> => {
  const signed = encoder.encode(`${timestamp}.${body}`)
  // Every secret is tried, so that the time taken does not tell which one matched.
  const results = await Promise.all(secrets.map(async (secret) => crypto.subtle.verify("HMAC", await hmacKey(secret, "verify"), signature, signed)))
  return results.includes(true)
}

const refuse = (status: 400 | 401 | 404 | 405 | 413 | 415 | 503, code: string, detail: string, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ type: `urn:rmc-details:problem:${code}`, title: "Webhook refused", status, detail, code }), {
    status,
    headers: { "content-type": "application/problem+json", ...headers },
  })

const lastPathSegment = (request: Request): string | null => {
  const segment = new URL(request.url).pathname
    .split("/")
    .filter((part) => part !== "")
    .at(-1)
  if (segment === undefined) return null
  try {
    return decodeURIComponent(segment)
  } catch {
    return null
  }
}

const secretsOf = async (secrets: TenantWebhookSecrets, tenantId: string): Promise<ReadonlyArray<string>> => {
  // Own properties only: a tenant named `constructor` or `__proto__` has no inherited secrets.
  const found = typeof secrets === "function" ? await secrets(tenantId) : Object.hasOwn(secrets, tenantId) ? secrets[tenantId] : undefined
  return (found ?? []).filter((secret) => secret.length > 0)
}

/** The largest delivery accepted, in bytes: a status report is a few hundred. */
const maxBodyBytes = 64 * 1024

// `v1=` and exactly the 64 hex digits of an HMAC-SHA256: anything before, after or in between
// (a second digest, a comment, white space) makes the header invalid rather than ignored.
const signatureHeader = /^v1=([0-9a-f]{64})$/i

/**
 * The receiver of the telephony platform's call-status webhooks (ringing, answered, completed,
 * failed, busy, no answer): a fetch handler that takes the tenant from the request's route
 * ({@link CallStatusWebhookOptions.tenantOf}), verifies the HMAC signature with that tenant's own
 * secrets in constant time,
 * refuses deliveries outside the timestamp window (replays), and applies the report to the call
 * attempt. Duplicate and out-of-order deliveries are answered 204 and change nothing, so the
 * platform stops retrying them. Another method than POST is answered 405 (with `Allow: POST`), a
 * body over 64 KiB 413, and a signature header that is not exactly `v1=` and 64 hex digits 401. A
 * tenant without secrets is answered 401 like a wrong signature, so that the receiver does not tell
 * which tenants exist; a payload that names another tenant than the route is refused (400).
 *
 * @example
 * ```ts
 * import { createRmc, memoryStorage } from "rmc-details"
 * import { createCallStatusWebhook } from "rmc-details/http"
 * import { serveNode } from "rmc-details/http/node"
 * const webhook = createCallStatusWebhook({ rmc: createRmc({ storage: memoryStorage() }), secrets: { acme: ["whsec_current"] } })
 * // The platform of tenant acme posts to `${server.url}/acme`.
 * const server = await serveNode(webhook, { port: 0 })
 * ```
 */
export const createCallStatusWebhook = (options: CallStatusWebhookOptions): FetchHandler => {
  const tolerance = options.toleranceSeconds ?? 300
  const now = options.now ?? Date.now
  return {
    fetch: async (request) => {
      if (request.method !== "POST") return refuse(405, "method_not_allowed", "Deliveries are POST requests", { allow: "POST" })
      let raw: string
      try {
        raw = await readRawBody(request, maxBodyBytes)
      } catch (error) {
        if (error instanceof HttpRequestError) return refuse(error.status === 413 ? 413 : 400, error.code, error.message)
        return refuse(400, "malformed_json", "The body could not be read")
      }
      const routed = await Promise.resolve(options.tenantOf === undefined ? lastPathSegment(request) : options.tenantOf(request)).catch(() => null)
      const tenant = routed === null ? null : ExternalId.safeParse(routed)
      if (tenant === null || !tenant.success) return refuse(404, "not_found", "No tenant is named by this URL")
      const tenantId = tenant.data
      const timestampHeader = request.headers.get("x-rmc-timestamp") ?? ""
      const signature = signatureHeader.exec(request.headers.get("x-rmc-signature") ?? "")
      // Digits only: `Number` would also read " 17e8", "0x65" or "1700000000.0".
      if (!/^\d{1,15}$/.test(timestampHeader)) return refuse(401, "invalid_signature", "Missing or invalid X-RMC-Timestamp")
      const timestamp = Number(timestampHeader)
      if (Math.abs(now() / 1000 - timestamp) > tolerance) return refuse(401, "stale_delivery", "The delivery is outside the accepted time window")
      if (signature === null) return refuse(401, "invalid_signature", "X-RMC-Signature must be v1= and 64 hex digits")
      let secrets: ReadonlyArray<string>
      try {
        secrets = await secretsOf(options.secrets, tenantId)
      } catch {
        // The secret store is down: the platform retries a 503 later, and nothing was applied.
        return refuse(503, "secrets_unavailable", "The tenant's webhook secrets could not be read", { "retry-after": "5" })
      }
      const valid = secrets.length > 0 && (await verifiedBySome(secrets, raw, timestamp, fromHex(signature[1]!)))
      if (!valid) return refuse(401, "invalid_signature", "The signature does not match")
      let payload: unknown
      try {
        payload = JSON.parse(raw)
      } catch {
        return refuse(400, "malformed_json", "The body is not valid JSON")
      }
      const mapped = options.toReport === undefined ? payload : options.toReport(payload)
      // A payload may still carry the tenant it was meant for (older platforms' shape); it is a
      // claim to check, never the source of the tenant.
      const claimed = typeof mapped === "object" && mapped !== null && Object.hasOwn(mapped, "tenantId") ? (mapped as { tenantId: unknown }).tenantId : tenantId
      if (claimed !== tenantId) return refuse(400, "validation_failed", "tenantId: the report names another tenant than its URL")
      const report = CallStatusReport.safeParse(mapped)
      if (!report.success) return refuse(400, "validation_failed", z.prettifyError(report.error))
      try {
        await options.rmc.as({ tenantId, agentId: options.actorId ?? "telephony", role: "supervisor" }).recordCallStatus(report.data)
        return new Response(null, { status: 204 })
      } catch (error) {
        if (!isRmcError(error)) throw error
        const code = statusOf(error, false)
        return new Response(JSON.stringify(toProblem(error, code)), { status: code, headers: { "content-type": "application/problem+json" } })
      }
    },
  }
}
