import { Effect, Layer } from "effect"
import type { CallRejectedError, TelephonyUnavailableError } from "../../domain/shared/errors"
import { type DialRequest, Telephony } from "../../ports/telephony"

/**
 * A telephony system in memory: it records every call it places, places one call per idempotency
 * key (a repeated key answers the first call again), and fails on demand.
 *
 * @example
 * ```ts
 * import { createRmc, makeMemoryTelephony, memoryStorage } from "rmc-details"
 * const phone = makeMemoryTelephony()
 * const rmc = createRmc({ storage: memoryStorage(), telephony: phone.layer })
 * phone.dialed.length // 0 until a call is placed
 * ```
 */
export interface MemoryTelephony {
  /** The port implementation. */
  readonly telephony: Telephony["Service"]
  /** A layer with {@link MemoryTelephony.telephony}. */
  readonly layer: Layer.Layer<Telephony>
  /** The calls placed, in order: one per idempotency key. */
  readonly dialed: ReadonlyArray<DialRequest>
  /** Every request received, placed or not, in order. */
  readonly requests: ReadonlyArray<DialRequest>
  /** Makes the next dial fail with `error` (no call is placed). */
  failNext(error: TelephonyUnavailableError | CallRejectedError): void
}

/**
 * Creates an in-memory telephony system (see {@link MemoryTelephony}).
 *
 * @example
 * ```ts
 * import { CallRejectedError, makeMemoryTelephony } from "rmc-details"
 * const phone = makeMemoryTelephony()
 * phone.failNext(new CallRejectedError({ message: "Number blocked", reason: "blocked" }))
 * ```
 */
export const makeMemoryTelephony = (): MemoryTelephony => {
  const dialed: Array<DialRequest> = []
  const requests: Array<DialRequest> = []
  const placed = new Map<string, string>()
  const failures: Array<TelephonyUnavailableError | CallRejectedError> = []
  const telephony = Telephony.of({
    dial: (request) =>
      Effect.suspend(() => {
        requests.push({ ...request })
        const scope = `${request.tenantId}\u0000${request.idempotencyKey}`
        const known = placed.get(scope)
        if (known !== undefined) return Effect.succeed({ providerCallId: known })
        const failure = failures.shift()
        if (failure !== undefined) return Effect.fail(failure)
        const providerCallId = `mem-${dialed.length + 1}`
        dialed.push({ ...request })
        placed.set(scope, providerCallId)
        return Effect.succeed({ providerCallId })
      }),
  })
  return {
    telephony,
    layer: Layer.succeed(Telephony, telephony),
    get dialed() {
      return [...dialed]
    },
    get requests() {
      return [...requests]
    },
    failNext: (error) => {
      failures.push(error)
    },
  }
}

/**
 * A layer with a fresh in-memory telephony system that accepts every call.
 *
 * @example
 * ```ts
 * import { createRmc, memoryStorage, memoryTelephony } from "rmc-details"
 * const rmc = createRmc({ storage: memoryStorage(), telephony: memoryTelephony() })
 * ```
 */
export const memoryTelephony = (): Layer.Layer<Telephony> => Layer.suspend(() => makeMemoryTelephony().layer)
