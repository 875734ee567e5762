import { Context, Effect, Layer } from "effect"
import type { MemoryTelephony } from "../../adapters/memory/memory-telephony"
import { makeMemoryTelephony } from "../../adapters/memory/memory-telephony"
import { CallRejectedError, TelephonyUnavailableError } from "../../domain/shared/errors"
import { Telephony } from "../../ports/telephony"
import type { FakeVoipServer, VoipFault } from "../fake-voip-server"
import { declareSubSuites, type SubSuiteSelection } from "./declare-sub-suites"
import { TelephonyFarEnd } from "./telephony-far-end"
import type { TelephonySubSuite, TelephonyUnderTest } from "./telephony-sub-suite"
import * as telephonySubSuites from "./telephony-sub-suites"

/**
 * The name of a sub-suite of the telephony conformance suite: `dial`, `idempotency`, `refusal`,
 * `deadline`, and any sub-suite added since (the type lists them all).
 *
 * @example
 * ```ts
 * import type { TelephonySubSuiteName } from "rmc-details/testing"
 * const fast: ReadonlyArray<TelephonySubSuiteName> = ["dial", "idempotency", "refusal"]
 * ```
 */
export type TelephonySubSuiteName = keyof typeof telephonySubSuites

const registry: { readonly [Name in TelephonySubSuiteName]: TelephonySubSuite } = telephonySubSuites

/**
 * The names of every sub-suite of the telephony conformance suite, in the order they run.
 *
 * @example
 * ```ts
 * import { telephonySubSuiteNames } from "rmc-details/testing"
 * console.log(telephonySubSuiteNames.includes("deadline")) // true
 * ```
 */
export const telephonySubSuiteNames: ReadonlyArray<TelephonySubSuiteName> = (Object.keys(registry) as Array<TelephonySubSuiteName>).sort()

/**
 * Options of the telephony conformance suite: which sub-suites run (`only`, `skip` with reasons),
 * the runs of its properties, and the dial deadline the telephony under test promises.
 *
 * @example
 * ```ts
 * import type { TelephonyConformanceOptions } from "rmc-details/testing"
 * const options: TelephonyConformanceOptions = { deadlineMs: 1_200, skip: { deadline: "the sandbox always answers" } }
 * ```
 */
export interface TelephonyConformanceOptions extends SubSuiteSelection<TelephonySubSuiteName> {
  /** Runs of each property; `RMC_NUM_RUNS` or 25 by default. */
  readonly numRuns?: number | undefined
  /** The longest a dial may take, retries included; 15 s by default (`httpTelephony`'s default). */
  readonly deadlineMs?: number | undefined
}

/**
 * Declares the telephony conformance suite in vitest against a layer that provides the `Telephony`
 * under test and its {@link TelephonyFarEnd}: a dial answers a provider call id or a typed error,
 * never places two calls for one idempotency key (concurrent retries included, keys scoped by
 * tenant), fails with `CallRejectedError` or `TelephonyUnavailableError` when the far end refuses or
 * is down, and ends within its deadline when the far end never answers. The sub-suites (see
 * {@link TelephonySubSuiteName}) can be selected with `only` and skipped with a reason.
 *
 * The layer is built once, in a scope closed after the last test (a fake platform it starts is
 * stopped then).
 *
 * @example
 * ```ts
 * import { describeTelephonyConformance, memoryTelephonyUnderTest } from "rmc-details/testing"
 * describeTelephonyConformance("memory", memoryTelephonyUnderTest(), {
 *   skip: { deadline: "an in-memory system answers at once" },
 * })
 * ```
 */
export const describeTelephonyConformance = (
  name: string,
  layer: Layer.Layer<Telephony | TelephonyFarEnd, unknown>,
  options: TelephonyConformanceOptions = {},
): void =>
  declareSubSuites({
    title: `telephony conformance: ${name}`,
    layer,
    from: (context): TelephonyUnderTest => ({ telephony: Context.get(context, Telephony), farEnd: Context.get(context, TelephonyFarEnd) }),
    subSuites: registry,
    selection: options,
    declare: (subSuite, under) =>
      subSuite(under, { numRuns: options.numRuns ?? Number(process.env.RMC_NUM_RUNS ?? 25), deadlineMs: options.deadlineMs ?? 15_000 }),
  })

/**
 * The far end of an in-memory telephony system: the calls it placed, and failures it injects
 * (refusals, unavailability). It cannot stay silent: skip the `deadline` sub-suite.
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { makeMemoryTelephony } from "rmc-details"
 * import { memoryTelephonyFarEnd } from "rmc-details/testing"
 * const phone = makeMemoryTelephony()
 * const underTest = Layer.merge(phone.layer, memoryTelephonyFarEnd(phone))
 * ```
 */
export const memoryTelephonyFarEnd = (phone: MemoryTelephony): Layer.Layer<TelephonyFarEnd> =>
  Layer.succeed(
    TelephonyFarEnd,
    TelephonyFarEnd.of({
      placedTo: (to) => Effect.sync(() => phone.dialed.filter((request) => request.to === to).length),
      behave: (behaviour) => {
        switch (behaviour) {
          case "accept":
            return Effect.void
          case "refuse":
            return Effect.sync(() => phone.failNext(new CallRejectedError({ message: "The far end refused the call", reason: "refused" })))
          case "unavailable":
            return Effect.sync(() => phone.failNext(new TelephonyUnavailableError({ message: "The far end is down", outcome: "not_placed" })))
          case "silent":
            return Effect.die(new Error("An in-memory telephony system answers at once and cannot stay silent: skip the deadline sub-suite"))
        }
      },
    }),
  )

/**
 * A fresh in-memory telephony system and its far end, in one layer for
 * {@link describeTelephonyConformance}.
 *
 * @example
 * ```ts
 * import { describeTelephonyConformance, memoryTelephonyUnderTest } from "rmc-details/testing"
 * describeTelephonyConformance("memory", memoryTelephonyUnderTest(), { skip: { deadline: "answers at once" } })
 * ```
 */
export const memoryTelephonyUnderTest = (): Layer.Layer<Telephony | TelephonyFarEnd> =>
  Layer.suspend(() => {
    const phone = makeMemoryTelephony()
    return Layer.merge(phone.layer, memoryTelephonyFarEnd(phone))
  })

// More faults than any dial makes attempts: the suite puts the far end back before the next step.
const repeated = (fault: VoipFault): Array<VoipFault> => Array.from({ length: 64 }, () => fault)

/**
 * The far end of an HTTP telephony adapter that talks to {@link FakeVoipServer}: the calls the fake
 * platform placed, and its scripted faults (422 for a refusal, 503 for unavailability, requests
 * never answered for silence).
 *
 * @example
 * ```ts
 * import { Effect, Layer } from "effect"
 * import { httpTelephony } from "rmc-details/http"
 * import { describeTelephonyConformance, fakeVoipFarEnd, startFakeVoipServer } from "rmc-details/testing"
 * const underTest = Layer.unwrap(Effect.gen(function* () {
 *   const voip = yield* Effect.acquireRelease(Effect.promise(() => startFakeVoipServer()), (v) => Effect.promise(() => v.close()))
 *   return Layer.merge(httpTelephony({ baseUrl: voip.url, deadlineMs: 2_000 }), fakeVoipFarEnd(voip))
 * }))
 * describeTelephonyConformance("http", underTest, { deadlineMs: 2_000 })
 * ```
 */
export const fakeVoipFarEnd = (voip: FakeVoipServer): Layer.Layer<TelephonyFarEnd> =>
  Layer.succeed(
    TelephonyFarEnd,
    TelephonyFarEnd.of({
      placedTo: (to) => Effect.sync(() => voip.placed.filter((call) => call.to === to).length),
      behave: (behaviour) =>
        Effect.sync(() => {
          switch (behaviour) {
            case "accept":
              return voip.script([])
            case "refuse":
              return voip.script(repeated({ kind: "status", status: 422, placed: false }))
            case "unavailable":
              return voip.script(repeated({ kind: "status", status: 503, placed: false, retryAfterSeconds: 0 }))
            case "silent":
              return voip.script(repeated({ kind: "hang", placed: false }))
          }
        }),
    }),
  )
