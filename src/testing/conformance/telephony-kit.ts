import { Effect, Result } from "effect"
import { expect } from "vitest"
import { CallRejectedError, TelephonyUnavailableError } from "../../domain/shared/errors"
import type { DialRequest, DialResult } from "../../ports/telephony"
import type { FarEndBehaviour } from "./telephony-far-end"
import type { TelephonyUnderTest } from "./telephony-sub-suite"

// What every telephony sub-suite needs: fresh requests, dials whose outcome is checked against the
// port's contract, and a far end put back to accepting calls after each fault.

const digits = (count: number) => Array.from(crypto.getRandomValues(new Uint8Array(count)), (byte) => byte % 10).join("")

/** A French mobile number no other test dials, so that the far end's count for it is this test's. */
export const freshNumber = (): string => `+336${digits(8)}`

export const dialRequest = (overrides: Partial<DialRequest> = {}): DialRequest => ({
  tenantId: `t-${crypto.randomUUID().slice(0, 18)}`,
  agentId: "agent-1",
  callId: crypto.randomUUID(),
  conversationId: crypto.randomUUID(),
  to: freshNumber(),
  idempotencyKey: `call-${crypto.randomUUID()}`,
  ...overrides,
})

export type DialOutcome = Result.Result<DialResult, TelephonyUnavailableError | CallRejectedError>

/**
 * Dials, and checks what the port promises of every answer: a non-empty provider call id, or one of
 * its two typed errors. A defect or an untyped failure rejects the promise, which fails the test.
 */
export const dial = async (under: () => TelephonyUnderTest, request: DialRequest): Promise<DialOutcome> => {
  const outcome = await Effect.runPromise(Effect.result(under().telephony.dial(request)))
  if (Result.isSuccess(outcome)) {
    expect(typeof outcome.success.providerCallId).toBe("string")
    expect(outcome.success.providerCallId).not.toBe("")
  } else {
    expect(
      [CallRejectedError, TelephonyUnavailableError].some((type) => outcome.failure instanceof type),
      `a typed error, not ${String(outcome.failure)}`,
    ).toBe(true)
  }
  return outcome
}

export const placedTo = (under: () => TelephonyUnderTest, to: string): Promise<number> => Effect.runPromise(under().farEnd.placedTo(to))

/** Runs `body` with the far end behaving so, and has it accept calls again afterwards. */
export const meeting = async <A>(under: () => TelephonyUnderTest, behaviour: FarEndBehaviour, body: () => Promise<A>): Promise<A> => {
  await Effect.runPromise(under().farEnd.behave(behaviour))
  try {
    return await body()
  } finally {
    await Effect.runPromise(under().farEnd.behave("accept"))
  }
}
