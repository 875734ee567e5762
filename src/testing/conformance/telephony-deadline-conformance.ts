import { Result } from "effect"
import { expect, it } from "vitest"
import { TelephonyUnavailableError } from "../../domain/shared/errors"
import { dial, dialRequest, meeting, placedTo } from "./telephony-kit"
import type { TelephonySubSuite } from "./telephony-sub-suite"

// Timers, event loop and a loaded machine: what a deadline may overrun by.
const marginMs = 1_000

/**
 * The `deadline` sub-suite of the telephony conformance suite: against a far end that never answers,
 * a dial fails with `TelephonyUnavailableError` within the promised deadline, says that a call may
 * have been placed (`outcome: "unknown"`), and the next dial works.
 *
 * @example
 * ```ts
 * import { describeTelephonyConformance } from "rmc-details/testing"
 * import { myTelephonyUnderTest } from "./my-telephony"
 * describeTelephonyConformance("my telephony", myTelephonyUnderTest, { only: ["deadline"], deadlineMs: 2_000 })
 * ```
 */
export const telephonyDeadlineConformance: TelephonySubSuite = (under, { deadlineMs }) => {
  it(
    `fails within its deadline (${deadlineMs} ms) when the far end never answers, saying a call may have been placed`,
    async () => {
      const request = dialRequest()
      const started = performance.now()
      const outcome = await meeting(under, "silent", () => dial(under, request))
      const elapsed = performance.now() - started
      expect(elapsed).toBeLessThan(deadlineMs + marginMs)
      expect(Result.isFailure(outcome) && outcome.failure).toBeInstanceOf(TelephonyUnavailableError)
      expect(Result.isFailure(outcome) && outcome.failure).toMatchObject({ outcome: "unknown" })
      const next = dialRequest({ tenantId: request.tenantId })
      expect(Result.isSuccess(await dial(under, next))).toBe(true)
      expect(await placedTo(under, next.to)).toBe(1)
    },
    deadlineMs + marginMs + 10_000,
  )
}
