import { createHmac, timingSafeEqual } from "node:crypto"
import * as z from "zod"
import { isRmcError } from "../../../domain/shared/errors"
import type { Principal } from "../../../domain/shared/principal"
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
  tenantId: z.string().min(1).max(128),
  providerCallId: z.string().min(1).max(200),
  status: z.enum(["ringing", "answered", "completed", "failed", "busy", "no_answer"]),
  at: z.iso.datetime({ offset: true }),
  reason: z.string().max(500).optional(),
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

/**
 * The signature headers of a delivery: `X-RMC-Timestamp` (Unix seconds) and `X-RMC-Signature`
 * (`v1=` and the hex HMAC-SHA256 of `timestamp.body` with the shared secret).
 *
 * @example
 * ```ts
 * import { signWebhook } from "rmc-details/http"
 * const headers = signWebhook("whsec_current", JSON.stringify({ status: "ringing" }), Math.floor(Date.now() / 1000))
 * ```
 */
export const signWebhook = (secret: string, body: string, timestamp: number): Record<string, string> => ({
  "x-rmc-timestamp": String(timestamp),
  "x-rmc-signature": `v1=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`,
})

const refuse = (status: 400 | 401, code: string, detail: string) =>
  new Response(JSON.stringify({ type: `urn:rmc-details:problem:${code}`, title: "Webhook refused", status, detail, code }), {
    status,
    headers: { "content-type": "application/problem+json" },
  })

/**
 * The receiver of the telephony platform's call-status webhooks (ringing, answered, completed,
 * failed, busy, no answer): a fetch handler that verifies the HMAC signature in constant time,
 * refuses deliveries outside the timestamp window (replays), and applies the report to the call
 * attempt. Duplicate and out-of-order deliveries are answered 204 and change nothing, so the
 * platform stops retrying them.
 *
 * @example
 * ```ts
 * import { createRmc, memoryStorage } from "rmc-details"
 * import { createCallStatusWebhook, serveNode } from "rmc-details/http"
 * const webhook = createCallStatusWebhook({ rmc: createRmc({ storage: memoryStorage() }), secrets: ["whsec_current"] })
 * const server = await serveNode(webhook, { port: 0 })
 * ```
 */
export const createCallStatusWebhook = (options: CallStatusWebhookOptions): FetchHandler => {
  const tolerance = options.toleranceSeconds ?? 300
  const now = options.now ?? Date.now
  return {
    fetch: async (request) => {
      if (request.method !== "POST") return refuse(400, "method_not_allowed", "Deliveries are POST requests")
      let raw: string
      try {
        raw = await readRawBody(request, 64 * 1024)
      } catch (error) {
        return refuse(400, error instanceof HttpRequestError ? error.code : "malformed_json", "The body could not be read")
      }
      const timestamp = Number(request.headers.get("x-rmc-timestamp"))
      const signature = request.headers.get("x-rmc-signature") ?? ""
      if (!Number.isInteger(timestamp)) return refuse(401, "invalid_signature", "Missing or invalid X-RMC-Timestamp")
      if (Math.abs(now() / 1000 - timestamp) > tolerance) return refuse(401, "stale_delivery", "The delivery is outside the accepted time window")
      const given = Buffer.from(signature.replace(/^v1=/, ""), "hex")
      const valid = options.secrets.some((secret) => {
        const expected = Buffer.from(signWebhook(secret, raw, timestamp)["x-rmc-signature"]!.slice(3), "hex")
        return given.length === expected.length && timingSafeEqual(given, expected)
      })
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
