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
 * `toReport`.
 *
 * @example
 * ```ts
 * import { CallStatusReport } from "rmc-details/http"
 * CallStatusReport.parse({ tenantId: "acme", providerCallId: "c-981", status: "answered", at: "2026-03-01T10:00:05Z" })
 * ```
 */
export const CallStatusReport = z.object({
  tenantId: ExternalId,
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
 * Options of {@link createCallStatusWebhook}.
 *
 * @example
 * ```ts
 * import { createRmc, memoryStorage } from "rmc-details"
 * import type { CallStatusWebhookOptions } from "rmc-details/http"
 * const options: CallStatusWebhookOptions = { rmc: createRmc({ storage: memoryStorage() }), secrets: ["whsec_current", "whsec_previous"] }
 * ```
 */
export interface CallStatusWebhookOptions {
  readonly rmc: {
    /** The Promise API of a principal. */
    as(principal: Principal): RmcApi
  }
  /** Shared secrets: the first signs, any verifies, so that a secret can be rotated. */
  readonly secrets: ReadonlyArray<string>
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

const refuse = (status: 400 | 401 | 405 | 413 | 415, code: string, detail: string, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ type: `urn:rmc-details:problem:${code}`, title: "Webhook refused", status, detail, code }), {
    status,
    headers: { "content-type": "application/problem+json", ...headers },
  })

/** The largest delivery accepted, in bytes: a status report is a few hundred. */
const maxBodyBytes = 64 * 1024

// `v1=` and exactly the 64 hex digits of an HMAC-SHA256: anything before, after or in between
// (a second digest, a comment, white space) makes the header invalid rather than ignored.
const signatureHeader = /^v1=([0-9a-f]{64})$/i

/**
 * The receiver of the telephony platform's call-status webhooks (ringing, answered, completed,
 * failed, busy, no answer): a fetch handler that verifies the HMAC signature in constant time,
 * refuses deliveries outside the timestamp window (replays), and applies the report to the call
 * attempt. Duplicate and out-of-order deliveries are answered 204 and change nothing, so the
 * platform stops retrying them. Another method than POST is answered 405 (with `Allow: POST`), a
 * body over 64 KiB 413, and a signature header that is not exactly `v1=` and 64 hex digits 401.
 *
 * @example
 * ```ts
 * import { createRmc, memoryStorage } from "rmc-details"
 * import { createCallStatusWebhook } from "rmc-details/http"
 * import { serveNode } from "rmc-details/http/node"
 * const webhook = createCallStatusWebhook({ rmc: createRmc({ storage: memoryStorage() }), secrets: ["whsec_current"] })
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
      const timestampHeader = request.headers.get("x-rmc-timestamp") ?? ""
      const signature = signatureHeader.exec(request.headers.get("x-rmc-signature") ?? "")
      // Digits only: `Number` would also read " 17e8", "0x65" or "1700000000.0".
      if (!/^\d{1,15}$/.test(timestampHeader)) return refuse(401, "invalid_signature", "Missing or invalid X-RMC-Timestamp")
      const timestamp = Number(timestampHeader)
      if (Math.abs(now() / 1000 - timestamp) > tolerance) return refuse(401, "stale_delivery", "The delivery is outside the accepted time window")
      if (signature === null) return refuse(401, "invalid_signature", "X-RMC-Signature must be v1= and 64 hex digits")
      const valid = await verifiedBySome(options.secrets, raw, timestamp, fromHex(signature[1]!))
      if (!valid) return refuse(401, "invalid_signature", "The signature does not match")
      let payload: unknown
      try {
        payload = JSON.parse(raw)
      } catch {
        return refuse(400, "malformed_json", "The body is not valid JSON")
      }
      const report = CallStatusReport.safeParse(options.toReport === undefined ? payload : options.toReport(payload))
      if (!report.success) return refuse(400, "validation_failed", z.prettifyError(report.error))
      const { tenantId, ...status } = report.data
      try {
        await options.rmc.as({ tenantId, agentId: options.actorId ?? "telephony", role: "supervisor" }).recordCallStatus(status)
        return new Response(null, { status: 204 })
      } catch (error) {
        if (!isRmcError(error)) throw error
        const code = statusOf(error, false)
        return new Response(JSON.stringify(toProblem(error, code)), { status: code, headers: { "content-type": "application/problem+json" } })
      }
    },
  }
}
