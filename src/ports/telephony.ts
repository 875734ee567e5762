import { Context, type Effect } from "effect"
import type { CallRejectedError, TelephonyUnavailableError } from "../domain/shared/errors"

/**
 * A request to place an outgoing call from an agent to a contact.
 *
 * @example
 * ```ts
 * import type { DialRequest } from "rmc-details"
 * const request: DialRequest = {
 *   tenantId: "acme", agentId: "alice", callId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11",
 *   conversationId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c12", to: "+33612345678", idempotencyKey: "k-1",
 * }
 * ```
 */
export interface DialRequest {
  readonly tenantId: string
  readonly agentId: string
  /** The SDK's id of the call attempt; telephony webhooks may send it back. */
  readonly callId: string
  readonly conversationId: string
  /** E.164 number to call. */
  readonly to: string
  /**
   * Forwarded to the telephony system so that a retried request never places a second call. Keys
   * belong to the tenant: the same key in two tenants is two calls.
   */
  readonly idempotencyKey: string
}

/**
 * What the telephony system answers when it accepts a call.
 *
 * @example
 * ```ts
 * import type { DialResult } from "rmc-details"
 * const result: DialResult = { providerCallId: "c-981" }
 * ```
 */
export interface DialResult {
  readonly providerCallId: string
}

/**
 * The telephony port: places an outgoing call (click-to-call). What an implementation promises (the
 * telephony conformance suite of `rmc-details/testing` checks each point):
 *
 * - `dial` answers the non-empty call id of the call it placed, or fails with one of the two typed
 *   errors below; never with a defect.
 * - It never places two calls for one `idempotencyKey` of one tenant, even when retries of the key
 *   arrive at once; a retry answers the first call's id. Keys of different tenants never meet.
 * - {@link CallRejectedError} (with the system's `reason`) when the system refuses the call; nothing
 *   was placed.
 * - {@link TelephonyUnavailableError} when the system cannot be reached, is down or does not answer
 *   in time. Its `outcome` is `not_placed` only when no call can have been placed; a request sent
 *   without an answer is `unknown`. A later dial with the same key may place the call.
 * - A dial ends within the deadline the implementation documents, even when the system never answers.
 * - `enabled: false` only when no system is configured at all; a system that is down is enabled and
 *   fails its dials with {@link TelephonyUnavailableError}.
 *
 * @example
 * ```ts
 * import { Effect, Layer } from "effect"
 * import { Telephony } from "rmc-details"
 * const layerAlwaysAccepts = Layer.succeed(Telephony, Telephony.of({
 *   dial: (request) => Effect.succeed({ providerCallId: `call-${request.callId}` }),
 * }))
 * ```
 */
export class Telephony extends Context.Service<
  Telephony,
  {
    /** Places a call; never two for one idempotency key. */
    dial(request: DialRequest): Effect.Effect<DialResult, TelephonyUnavailableError | CallRejectedError>
    /**
     * `false` when no telephony system is behind the port (as with `noTelephony`): the panel's Call
     * action is then disabled with the reason `no_telephony`, and `callContact` is refused before it
     * records an attempt or uses up its idempotency key. Absent means a system is there.
     */
    readonly enabled?: boolean | undefined
  }
>()("rmc-details/Telephony") {}
