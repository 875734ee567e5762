import { createHmac } from "node:crypto"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"

/**
 * What the fake platform does with the next originate request. `placed` says whether the call is
 * placed before the fault strikes (a reset after placing is the ambiguous case a client must not
 * retry blindly).
 *
 * @example
 * ```ts
 * import type { VoipFault } from "rmc-details/testing"
 * const faults: Array<VoipFault> = [{ kind: "status", status: 503, placed: false, retryAfterSeconds: 0 }, { kind: "ok" }]
 * ```
 */
export type VoipFault =
  | { readonly kind: "ok" }
  | { readonly kind: "slow"; readonly ms: number }
  | { readonly kind: "status"; readonly status: number; readonly placed: boolean; readonly retryAfterSeconds?: number | undefined }
  | { readonly kind: "reset"; readonly placed: boolean }
  | { readonly kind: "hang"; readonly placed: boolean }

/**
 * A call the fake platform placed.
 *
 * @example
 * ```ts
 * import type { PlacedCall } from "rmc-details/testing"
 * const numberOf = (call: PlacedCall) => call.to
 * ```
 */
export interface PlacedCall {
  readonly callId: string
  readonly idempotencyKey: string | null
  readonly to: string
}

/**
 * A local fake of a VoIP platform's click-to-call API, on `node:http` at 127.0.0.1: it places
 * calls (one per idempotency key, unless told it does not honour them), injects scripted faults
 * (slow answers, 5xx, 429 with Retry-After, connection resets, requests never answered), and sends
 * signed call-status webhooks, duplicates and out-of-order deliveries included.
 *
 * @example
 * ```ts
 * import { startFakeVoipServer } from "rmc-details/testing"
 * const voip = await startFakeVoipServer()
 * voip.script([{ kind: "reset", placed: true }])
 * await voip.close()
 * ```
 */
export interface FakeVoipServer {
  readonly url: string
  /** Calls placed, in order. */
  readonly placed: ReadonlyArray<PlacedCall>
  /** Originate requests received, faulty ones included. */
  readonly requests: number
  /** Faults applied to the next originate requests, in order; then every request succeeds. */
  script(faults: ReadonlyArray<VoipFault>): void
  /**
   * Posts signed call-status reports to a webhook receiver, one after the other, and answers the
   * HTTP statuses it got.
   */
  deliver(
    receiverUrl: string,
    secret: string,
    reports: ReadonlyArray<Record<string, unknown>>,
    options?: { readonly timestamp?: number | undefined; readonly tamper?: boolean | undefined },
  ): Promise<Array<number>>
  /** Stops the fake platform. */
  close(): Promise<void>
}

const readBody = (request: IncomingMessage) =>
  new Promise<string>((resolve) => {
    const chunks: Array<Buffer> = []
    request.on("data", (c: Buffer) => chunks.push(c))
    request.on("end", () => resolve(Buffer.concat(chunks).toString()))
    request.on("error", () => resolve(""))
  })

/**
 * Starts a {@link FakeVoipServer}.
 *
 * @example
 * ```ts
 * import { startFakeVoipServer } from "rmc-details/testing"
 * const voip = await startFakeVoipServer({ honoursIdempotencyKey: false })
 * ```
 */
export const startFakeVoipServer = async (options: { readonly honoursIdempotencyKey?: boolean | undefined } = {}): Promise<FakeVoipServer> => {
  const honours = options.honoursIdempotencyKey ?? true
  const placed: Array<PlacedCall> = []
  const byKey = new Map<string, PlacedCall>()
  let faults: Array<VoipFault> = []
  let requests = 0
  const hanging = new Set<ServerResponse>()

  const place = (key: string | null, to: string): PlacedCall => {
    const known = key === null || !honours ? undefined : byKey.get(key)
    if (known !== undefined) return known
    const call = { callId: `voip-${placed.length + 1}`, idempotencyKey: key, to }
    placed.push(call)
    if (key !== null) byKey.set(key, call)
    return call
  }

  const server = createServer(async (request, response) => {
    const body = await readBody(request)
    if (request.method !== "POST" || request.url !== "/calls") {
      response.writeHead(404).end()
      return
    }
    requests++
    const fault = faults.shift() ?? { kind: "ok" }
    let payload: { to?: string } = {}
    try {
      payload = JSON.parse(body) as { to?: string }
    } catch {
      response.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ reason: "malformed" }))
      return
    }
    const key = (request.headers["idempotency-key"] as string | undefined) ?? null
    const answer = (call: PlacedCall) => response.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ id: call.callId }))
    switch (fault.kind) {
      case "ok":
        return answer(place(key, payload.to ?? ""))
      case "slow": {
        const call = place(key, payload.to ?? "")
        setTimeout(() => {
          if (!response.destroyed) answer(call)
        }, fault.ms)
        return
      }
      case "status":
        if (fault.placed) place(key, payload.to ?? "")
        response
          .writeHead(fault.status, {
            "content-type": "application/json",
            ...(fault.retryAfterSeconds === undefined ? {} : { "retry-after": String(fault.retryAfterSeconds) }),
          })
          .end(JSON.stringify({ reason: fault.status === 422 ? "invalid_number" : "platform_error" }))
        return
      case "reset":
        if (fault.placed) place(key, payload.to ?? "")
        request.socket.destroy()
        return
      case "hang":
        if (fault.placed) place(key, payload.to ?? "")
        hanging.add(response)
        return
    }
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  return {
    url,
    get placed() {
      return [...placed]
    },
    get requests() {
      return requests
    },
    script: (next) => {
      faults = [...next]
    },
    deliver: async (receiverUrl, secret, reports, deliveryOptions = {}) => {
      const statuses: Array<number> = []
      for (const report of reports) {
        const body = JSON.stringify(report)
        const timestamp = deliveryOptions.timestamp ?? Math.floor(Date.now() / 1000)
        const signature = createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")
        const response = await fetch(receiverUrl, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "x-rmc-timestamp": String(timestamp),
            "x-rmc-signature": `v1=${deliveryOptions.tamper === true ? signature.replace(/^./, (c) => (c === "0" ? "1" : "0")) : signature}`,
          },
          body,
        })
        await response.arrayBuffer()
        statuses.push(response.status)
      }
      return statuses
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const response of hanging) response.destroy()
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
