import { Result } from "effect"
import fc from "fast-check"
import { expect, it } from "vitest"
import { dial, dialRequest, placedTo } from "./telephony-kit"
import type { TelephonySubSuite } from "./telephony-sub-suite"

/**
 * The `idempotency` sub-suite of the telephony conformance suite: a retried dial answers the first
 * call and places nothing more, concurrent retries of one key place at most one call, and keys are
 * scoped by tenant.
 *
 * @example
 * ```ts
 *  * import { describeTelephonyConformance, memoryTelephonyUnderTest } from "rmc-details/testing"
 * describeTelephonyConformance("memory", memoryTelephonyUnderTest(), { only: ["idempotency"] })
 * ```
 */
export const telephonyIdempotencyConformance: TelephonySubSuite = (under, { numRuns }) => {
  it("answers a retry with the first call and places nothing more", async () => {
    const request = dialRequest()
    const first = Result.getOrThrow(await dial(under, request))
    const retry = Result.getOrThrow(await dial(under, { ...request, agentId: "agent-2" }))
    expect(retry.providerCallId).toBe(first.providerCallId)
    expect(await placedTo(under, request.to)).toBe(1)
  })

  it("places at most one call when retries of one key arrive at once", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 16 }), async (retries) => {
        const request = dialRequest()
        const outcomes = await Promise.all(Array.from({ length: retries }, () => dial(under, request)))
        const answers = new Set(outcomes.filter(Result.isSuccess).map((outcome) => outcome.success.providerCallId))
        expect(answers.size).toBeLessThanOrEqual(1)
        const calls = await placedTo(under, request.to)
        expect(calls).toBeLessThanOrEqual(1)
        if (answers.size === 1) expect(calls).toBe(1)
      }),
      { numRuns: Math.min(numRuns, 10) },
    )
  })

  it("keeps the keys of each tenant apart: one key in two tenants is two calls", async () => {
    const mine = dialRequest()
    const theirs = dialRequest({ to: mine.to, idempotencyKey: mine.idempotencyKey })
    const [a, b] = await Promise.all([dial(under, mine), dial(under, theirs)])
    expect(Result.getOrThrow(a).providerCallId).not.toBe(Result.getOrThrow(b).providerCallId)
    expect(await placedTo(under, mine.to)).toBe(2)
  })
}
