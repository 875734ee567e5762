import type { Telephony } from "../../ports/telephony"
import type { TelephonyFarEnd } from "./telephony-far-end"

/**
 * A telephony system under test and its far end, as the telephony sub-suites see them.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import type { TelephonyUnderTest } from "rmc-details/testing"
 * const callsTo = (under: TelephonyUnderTest, to: string) => Effect.runPromise(under.farEnd.placedTo(to))
 * ```
 */
export interface TelephonyUnderTest {
  readonly telephony: Telephony["Service"]
  readonly farEnd: TelephonyFarEnd["Service"]
}

/**
 * What a telephony sub-suite is given: the runs of its properties and the dial deadline that the
 * telephony under test promises.
 *
 * @example
 * ```ts
 * import type { TelephonySubSuiteOptions } from "rmc-details/testing"
 * const options: TelephonySubSuiteOptions = { numRuns: 25, deadlineMs: 1_200 }
 * ```
 */
export interface TelephonySubSuiteOptions {
  readonly numRuns: number
  /** The longest a dial may take, retries included, before it fails with a typed error. */
  readonly deadlineMs: number
}

/**
 * One named part of the telephony conformance suite: a function that declares vitest blocks against
 * the telephony system and far end that `under()` answers (only inside tests).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { expect, it } from "vitest"
 * import type { TelephonySubSuite } from "rmc-details/testing"
 * export const dialsFrance: TelephonySubSuite = (under) => {
 *   it("calls a French mobile", async () => {
 *     const request = { tenantId: "t", agentId: "a", callId: "c-1", conversationId: "v-1", to: "+33612345678", idempotencyKey: "k-1" }
 *     const result = await Effect.runPromise(under().telephony.dial(request))
 *     expect(result.providerCallId).not.toBe("")
 *   })
 * }
 * ```
 */
export type TelephonySubSuite = (under: () => TelephonyUnderTest, options: TelephonySubSuiteOptions) => void
