import * as z from "zod"
import { E164 } from "../contact/phone"
import { EntityId, ExternalId, Timestamp } from "../shared/ids"

/**
 * Status of a call attempt. `requested` is recorded before the telephony system is asked;
 * `dialing` once it accepted; then the statuses its webhooks report. `failed` also covers a
 * telephony system that refused the call or could not be reached.
 *
 * @example
 * ```ts
 * import { CallStatus } from "rmc-details"
 * CallStatus.parse("no_answer")
 * ```
 */
export const CallStatus = z.enum([
  "requested",
  "dialing",
  "ringing",
  "answered",
  "completed",
  "failed",
  "busy",
  "no_answer",
])
/** @see {@link CallStatus} */
export type CallStatus = z.infer<typeof CallStatus>

/**
 * Statuses after which a call attempt never changes again.
 *
 * @example
 * ```ts
 * import { isFinalCallStatus } from "rmc-details"
 * isFinalCallStatus("busy") // true
 * ```
 */
export const isFinalCallStatus = (status: CallStatus): boolean =>
  status === "completed" || status === "failed" || status === "busy" || status === "no_answer"

const progress: Record<CallStatus, number> = {
  requested: 0,
  dialing: 1,
  ringing: 2,
  answered: 3,
  completed: 4,
  failed: 4,
  busy: 4,
  no_answer: 4,
}

/**
 * Whether a status report moves a call forward. Webhooks arrive late, twice or out of order: a
 * report that does not move the call forward (e.g. `ringing` after `answered`, anything after a
 * final status) is ignored, which makes applying reports idempotent and order-insensitive.
 *
 * @example
 * ```ts
 * import { advancesCall } from "rmc-details"
 * advancesCall("answered", "ringing") // false
 * advancesCall("ringing", "answered") // true
 * ```
 */
export const advancesCall = (current: CallStatus, next: CallStatus): boolean =>
  !isFinalCallStatus(current) && progress[next] > progress[current]

/**
 * One attempt to call a contact from a conversation, placed through the telephony port.
 * `idempotencyKey` is unique per tenant: a retried request with the same key returns this
 * attempt and never places a second call.
 *
 * @example
 * ```ts
 * import type { CallAttempt } from "rmc-details"
 * const done = (c: CallAttempt) => c.status === "completed"
 * ```
 */
export const CallAttempt = z.object({
  id: EntityId,
  tenantId: ExternalId,
  conversationId: EntityId,
  contactId: EntityId,
  to: E164,
  idempotencyKey: z.string(),
  requestedBy: ExternalId,
  status: CallStatus,
  /** The telephony system's id of the call, once it accepted it. */
  providerCallId: z.string().nullable(),
  /** Why the call failed, when it did. */
  failureReason: z.string().nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
})
/** @see {@link CallAttempt} */
export type CallAttempt = z.infer<typeof CallAttempt>

/**
 * An idempotency key given by a caller: 1 to 200 printable ASCII characters.
 *
 * @example
 * ```ts
 * import { IdempotencyKey } from "rmc-details"
 * IdempotencyKey.parse("call-7f3a")
 * ```
 */
export const IdempotencyKey = z.string().min(1).max(200).regex(/^[\x21-\x7e]+$/, "printable ASCII")
