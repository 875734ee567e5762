import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { advancesCall, CallStatus, isFinalCallStatus } from "../../src/domain/call/call-attempt"
import { callFailureError, callFailureReason } from "../../src/domain/call/call-failure"
import { CallRejectedError, TelephonyUnavailableError } from "../../src/domain/shared/errors"

const numRuns = Number(process.env.RMC_NUM_RUNS ?? 200)
const status = fc.constantFrom(...CallStatus.options)

describe("call status", () => {
  it("never leaves a final status, never goes back, and is reached in any delivery order", () => {
    fc.assert(
      fc.property(fc.array(status, { maxLength: 12 }), (reports) => {
        let current: CallStatus = "dialing"
        const seen: Array<CallStatus> = [current]
        for (const next of reports) {
          if (advancesCall(current, next)) current = next
          seen.push(current)
        }
        for (let i = 1; i < seen.length; i++) {
          const before = seen[i - 1]!
          if (isFinalCallStatus(before)) expect(seen[i]).toBe(before)
        }
        // the furthest report wins whatever the order, unless a final status came first
        const firstFinal = reports.find(isFinalCallStatus)
        if (firstFinal !== undefined) expect(current).toBe(firstFinal)
      }),
      { numRuns },
    )
  })

  it("ignores duplicates", () => {
    for (const s of CallStatus.options) expect(advancesCall(s, s)).toBe(false)
  })
})

describe("call failure reasons", () => {
  it("turn back into the same typed error", () => {
    fc.assert(
      fc.property(fc.string(), fc.string().filter((r) => !r.includes(")")), fc.constantFrom("not_placed" as const, "unknown" as const), (message, reason, outcome) => {
        const rejected = callFailureError(callFailureReason(new CallRejectedError({ message, reason })))
        expect(rejected).toBeInstanceOf(CallRejectedError)
        expect(rejected).toMatchObject({ message, reason })
        const unavailable = callFailureError(callFailureReason(new TelephonyUnavailableError({ message, outcome })))
        expect(unavailable).toBeInstanceOf(TelephonyUnavailableError)
        expect(unavailable).toMatchObject({ message, outcome })
      }),
      { numRuns },
    )
    expect(callFailureError("busy")).toBeUndefined()
    expect(callFailureError(null)).toBeUndefined()
  })
})
