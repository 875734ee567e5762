import { CallRejectedError, TelephonyUnavailableError } from "../shared/errors"
import { maxFailureReasonLength, truncateText } from "./call-attempt"

/**
 * How a failed call attempt remembers why it failed, as one readable line that can be turned back
 * into the typed error: a retry of the same request answers the same error. At most
 * {@link maxFailureReasonLength} characters: the telephony system's reason code is cut to 100
 * (a `)` in it becomes `]`) and its message to what is left.
 *
 * @example
 * ```ts
 * import { CallRejectedError, callFailureReason, callFailureError } from "rmc-details"
 * const reason = callFailureReason(new CallRejectedError({ message: "Invalid number", reason: "invalid_number" }))
 * callFailureError(reason) // a CallRejectedError again
 * ```
 */
export const callFailureReason = (error: TelephonyUnavailableError | CallRejectedError): string => {
  const head =
    error instanceof CallRejectedError
      ? `call_rejected(${truncateText(error.reason.replaceAll(")", "]"), 100)}): `
      : `telephony_unavailable(${error.outcome}): `
  return `${head}${truncateText(error.message, maxFailureReasonLength - head.length)}`
}

const pattern = /^(call_rejected|telephony_unavailable)\(([^)]*)\): (.*)$/s

/**
 * The typed error of a failure reason written by {@link callFailureReason}; `undefined` for another
 * text (e.g. a failure reported by the telephony system after the call was placed).
 *
 * @example
 * ```ts
 * import { callFailureError } from "rmc-details"
 * callFailureError("telephony_unavailable(not_placed): timeout")?.code // "telephony_unavailable"
 * ```
 */
export const callFailureError = (reason: string | null): TelephonyUnavailableError | CallRejectedError | undefined => {
  const match = reason === null ? null : pattern.exec(reason)
  if (match === null) return undefined
  const [, code, detail = "", message = ""] = match
  if (code === "call_rejected") return new CallRejectedError({ message, reason: detail })
  return new TelephonyUnavailableError({ message, outcome: detail === "unknown" ? "unknown" : "not_placed" })
}
