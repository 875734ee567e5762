import { Result } from "effect"
import fc from "fast-check"
import { expect, it } from "vitest"
import { dial, dialRequest, meeting, placedTo } from "./telephony-kit"
import type { TelephonySubSuite } from "./telephony-sub-suite"

/**
 * The `dial` sub-suite of the telephony conformance suite: a dial places one call and answers its
 * provider call id, each new idempotency key is a new call, and whatever the far end does, every
 * answer is a provider call id or a typed error, never a defect.
 *
 * @example
 * ```ts
 *  * import { describeTelephonyConformance, memoryTelephonyUnderTest } from "rmc-details/testing"
 * describeTelephonyConformance("memory", memoryTelephonyUnderTest(), { only: ["dial"] })
 * ```
 */
export const telephonyDialConformance: TelephonySubSuite = (under, { numRuns }) => {
  it("places one call and answers its provider call id", async () => {
    const request = dialRequest()
    const outcome = await dial(under, request)
    expect(Result.isSuccess(outcome)).toBe(true)
    expect(await placedTo(under, request.to)).toBe(1)
  })

  it("places a new call for each new idempotency key", async () => {
    const first = dialRequest()
    const second = dialRequest({ tenantId: first.tenantId, to: first.to })
    const answers = [await dial(under, first), await dial(under, second)].map((outcome) => Result.getOrThrow(outcome).providerCallId)
    expect(new Set(answers).size).toBe(2)
    expect(await placedTo(under, first.to)).toBe(2)
  })

  it("answers a provider call id or a typed error whatever the far end does, and places at most one call per key", async () => {
    const step = fc.record({
      behaviour: fc.constantFrom("accept", "accept", "refuse", "unavailable") as fc.Arbitrary<"accept" | "refuse" | "unavailable">,
      retry: fc.boolean(),
    })
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (steps) => {
        const tenantId = `t-${crypto.randomUUID().slice(0, 18)}`
        const sent: Array<ReturnType<typeof dialRequest>> = []
        const answered = new Map<string, string>()
        for (const { behaviour, retry } of steps) {
          // A fault meets a fresh key; a retry repeats an earlier request, key and number included.
          const earlier = sent.at(-1)
          const request = retry && behaviour === "accept" && earlier !== undefined ? earlier : dialRequest({ tenantId })
          sent.push(request)
          const outcome = await meeting(under, behaviour, () => dial(under, request))
          if (Result.isSuccess(outcome)) {
            const first = answered.get(request.idempotencyKey)
            if (first !== undefined) expect(outcome.success.providerCallId).toBe(first)
            answered.set(request.idempotencyKey, outcome.success.providerCallId)
          }
        }
        for (const request of sent) {
          const calls = await placedTo(under, request.to)
          expect(calls).toBeLessThanOrEqual(1)
          if (answered.has(request.idempotencyKey)) expect(calls).toBe(1)
        }
      }),
      { numRuns: Math.min(numRuns, 15) },
    )
  })
}
