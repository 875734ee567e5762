import * as z from "zod"
import { E164 } from "../contact/phone"
import { erasedMarker } from "../privacy/erasure"
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
export const CallStatus = z.enum(["requested", "dialing", "ringing", "answered", "completed", "failed", "busy", "no_answer"]).meta({ id: "CallStatus" })
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
export const isFinalCallStatus = (status: CallStatus): boolean => status === "completed" || status === "failed" || status === "busy" || status === "no_answer"

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
export const advancesCall = (current: CallStatus, next: CallStatus): boolean => !isFinalCallStatus(current) && progress[next] > progress[current]

/**
 * The longest telephony call id stored as it is. A telephony system's id can be longer: it is
 * then stored as `sha256:` and the hex SHA-256 digest of the id (71 characters), and status
 * reports that carry the long id are matched through the same digest, so the call stays matchable.
 *
 * @example
 * ```ts
 * import { maxProviderCallIdLength } from "rmc-details"
 * "c-981".length <= maxProviderCallIdLength // stored as it is
 * ```
 */
export const maxProviderCallIdLength = 200

/**
 * The longest failure reason stored: a longer one (a telephony system's 2 MB refusal text) is cut
 * to this many characters, the last of which is `…`.
 *
 * @example
 * ```ts
 * import { maxFailureReasonLength } from "rmc-details"
 * maxFailureReasonLength // 500
 * ```
 */
export const maxFailureReasonLength = 500

/**
 * `text` cut to at most `max` UTF-16 code units (`…` marks the cut), never between the two halves
 * of a surrogate pair.
 *
 * @example
 * ```ts
 * import { truncateText } from "rmc-details"
 * truncateText("Invalid number format", 10) // "Invalid n…"
 * ```
 */
export const truncateText = (text: string, max: number): string => {
  if (text.length <= max) return text
  let end = Math.max(0, max - 1)
  const last = text.charCodeAt(end - 1)
  if (last >= 0xd800 && last <= 0xdbff) end -= 1
  return `${text.slice(0, end)}…`
}

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
export const CallAttempt = z
  .object({
    id: EntityId,
    tenantId: ExternalId,
    conversationId: EntityId,
    contactId: EntityId,
    /** The number dialled; the erased marker once the contact's personal data was erased. */
    to: z.union([E164, z.literal(erasedMarker)]),
    idempotencyKey: z.string(),
    requestedBy: ExternalId,
    status: CallStatus,
    /** The telephony system's id of the call, once it accepted it. */
    providerCallId: z.string().min(1).max(maxProviderCallIdLength).nullable(),
    /** Why the call failed, when it did. */
    failureReason: z.string().max(maxFailureReasonLength).nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: "CallAttempt" })
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
export const IdempotencyKey = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\x21-\x7e]+$/, "printable ASCII")
