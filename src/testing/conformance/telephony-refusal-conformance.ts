import { Result } from "effect"
import { expect, it } from "vitest"
import { CallRejectedError, TelephonyUnavailableError } from "../../domain/shared/errors"
import { dial, dialRequest, meeting, placedTo } from "./telephony-kit"
import type { TelephonySubSuite } from "./telephony-sub-suite"

/**
 * The `refusal` sub-suite of the telephony conformance suite: a call the far end refuses fails with
 * `CallRejectedError` and its reason, and one it cannot take fails with `TelephonyUnavailableError`;
 * neither places a call, and a retry of the same key once the far end is back places exactly one.
 *
 * @example
 * ```ts
 *  * import { describeTelephonyConformance, memoryTelephonyUnderTest } from "rmc-details/testing"
 * describeTelephonyConformance("memory", memoryTelephonyUnderTest(), { only: ["refusal"] })
 * ```
 */
export const telephonyRefusalConformance: TelephonySubSuite = (under) => {
  it("fails with CallRejectedError and its reason when the far end refuses the call", async () => {
    const request = dialRequest()
    const outcome = await meeting(under, "refuse", () => dial(under, request))
    expect(Result.isFailure(outcome) && outcome.failure).toBeInstanceOf(CallRejectedError)
    const reason = Result.isFailure(outcome) && outcome.failure instanceof CallRejectedError ? outcome.failure.reason : ""
    expect(reason.trim()).not.toBe("")
    expect(await placedTo(under, request.to)).toBe(0)
  })

  it("fails with TelephonyUnavailableError when the far end is down, then places the call on a retry", async () => {
    const request = dialRequest()
    const outcome = await meeting(under, "unavailable", () => dial(under, request))
    expect(Result.isFailure(outcome) && outcome.failure).toBeInstanceOf(TelephonyUnavailableError)
    expect(await placedTo(under, request.to)).toBe(0)
    const retry = await dial(under, request)
    expect(Result.isSuccess(retry)).toBe(true)
    expect(await placedTo(under, request.to)).toBe(1)
  })
}
