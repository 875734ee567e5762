import { Context, type Effect } from "effect"

/**
 * How the far end of a telephony system treats the next dial: it `accept`s the call, `refuse`s it
 * (a rejection such as an invalid or blocked number), is `unavailable` (answers that it is down or
 * busy, placing nothing), or stays `silent` (takes the request and never answers).
 *
 * @example
 * ```ts
 * import type { FarEndBehaviour } from "rmc-details/testing"
 * const faults: ReadonlyArray<FarEndBehaviour> = ["refuse", "unavailable", "silent"]
 * ```
 */
export type FarEndBehaviour = "accept" | "refuse" | "unavailable" | "silent"

/**
 * The far end of a telephony system under test, as the telephony conformance suite observes and
 * steers it: the VoIP platform behind an HTTP adapter, or the in-memory system itself. Provide it
 * in the same layer as the `Telephony` under test.
 *
 * The suite calls `behave(b)` and then dials once; what later dials meet is up to the far end until
 * the suite calls `behave("accept")`, which it always does before the next step. A far end that
 * cannot act out a behaviour fails `behave` with a defect saying so, and its store skips the
 * sub-suites that need it (with that reason).
 *
 * @example
 * ```ts
 * import { Effect, Layer } from "effect"
 * import { TelephonyFarEnd } from "rmc-details/testing"
 * const sandbox = { callsTo: async (to: string) => 0, setMode: async (mode: string) => {} }
 * const farEnd = Layer.succeed(TelephonyFarEnd, TelephonyFarEnd.of({
 *   placedTo: (to) => Effect.promise(() => sandbox.callsTo(to)),
 *   behave: (behaviour) => Effect.promise(() => sandbox.setMode(behaviour)),
 * }))
 * ```
 */
export class TelephonyFarEnd extends Context.Service<
  TelephonyFarEnd,
  {
    /** How many calls the far end has placed to this E.164 number. */
    placedTo(to: string): Effect.Effect<number>
    /** How the far end treats the next dial (see {@link FarEndBehaviour}). */
    behave(behaviour: FarEndBehaviour): Effect.Effect<void>
  }
>()("rmc-details/testing/TelephonyFarEnd") {}
