import { Clock as EffectClock, Context, Effect, Layer } from "effect"

/**
 * The clock port: the current time as a {@link Timestamp} string.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Clock } from "rmc-details"
 * const program = Effect.gen(function* () {
 *   const clock = yield* Clock
 *   return yield* clock.now
 * })
 * ```
 */
export class Clock extends Context.Service<Clock, { readonly now: Effect.Effect<string> }>()("rmc-details/Clock") {
  /** Reads Effect's own clock, so that `TestClock` drives it in tests. */
  static readonly layer: Layer.Layer<Clock> = Layer.succeed(
    Clock,
    Clock.of({ now: Effect.map(EffectClock.currentTimeMillis, (ms) => new Date(ms).toISOString()) }),
  )

  /** A clock that reads `now()` (a plain function, for the Promise API). */
  static readonly layerFrom = (now: () => Date): Layer.Layer<Clock> => Layer.succeed(Clock, Clock.of({ now: Effect.sync(() => now().toISOString()) }))
}
