import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { advancesCall, CallStatus, isFinalCallStatus, maxFailureReasonLength, truncateText } from "../../src/domain/call/call-attempt"
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
      fc.property(
        fc.string(),
        fc.string().filter((r) => !r.includes(")")),
        fc.constantFrom("not_placed" as const, "unknown" as const),
        (message, reason, outcome) => {
          const rejected = callFailureError(callFailureReason(new CallRejectedError({ message, reason })))
          expect(rejected).toBeInstanceOf(CallRejectedError)
          expect(rejected).toMatchObject({ message, reason })
          const unavailable = callFailureError(callFailureReason(new TelephonyUnavailableError({ message, outcome })))
          expect(unavailable).toBeInstanceOf(TelephonyUnavailableError)
          expect(unavailable).toMatchObject({ message, outcome })
        },
      ),
      { numRuns },
    )
    expect(callFailureError("busy")).toBeUndefined()
    expect(callFailureError(null)).toBeUndefined()
  })
})

describe("bounds of what a call attempt stores", () => {
  it("failure reasons never exceed maxFailureReasonLength, whatever the telephony system said", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 700 }), fc.string({ maxLength: 300 }), (message, reason) => {
        expect(callFailureReason(new CallRejectedError({ message, reason })).length).toBeLessThanOrEqual(maxFailureReasonLength)
        expect(callFailureReason(new TelephonyUnavailableError({ message, outcome: "unknown" })).length).toBeLessThanOrEqual(maxFailureReasonLength)
        expect(callFailureError(callFailureReason(new CallRejectedError({ message, reason })))).toBeInstanceOf(CallRejectedError)
      }),
      { numRuns },
    )
  })

  it("truncateText keeps short texts, cuts long ones to the bound and never splits a surrogate pair", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300, unit: "binary" }), fc.integer({ min: 1, max: 200 }), (text, max) => {
        const cut = truncateText(text, max)
        expect(cut.length).toBeLessThanOrEqual(max)
        if (text.length <= max) expect(cut).toBe(text)
        else {
          expect(cut.endsWith("…")).toBe(true)
          expect(text.startsWith(cut.slice(0, -1))).toBe(true)
          // The last kept code unit is never the first half of a pair whose second half was cut.
          expect(/[\uD800-\uDBFF]…$/.test(cut) && /[\uDC00-\uDFFF]/.test(text.charAt(cut.length - 1))).toBe(false)
        }
      }),
      { numRuns },
    )
  })
})
