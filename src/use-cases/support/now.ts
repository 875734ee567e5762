import { Effect } from "effect"
import { Clock } from "../../ports/clock"
import { IdGenerator } from "../../ports/id-generator"

/**
 * The current time from the {@link Clock} port.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { currentTime } from "rmc-details"
 * const stamp = Effect.map(currentTime, (at) => `at ${at}`)
 * ```
 */
export const currentTime: Effect.Effect<string, never, Clock> = Effect.gen(function* () {
  return yield* (yield* Clock).now
})

/**
 * A new id from the {@link IdGenerator} port.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { nextId } from "rmc-details"
 * const twoIds = Effect.all([nextId, nextId])
 * ```
 */
export const nextId: Effect.Effect<string, never, IdGenerator> = Effect.gen(function* () {
  return yield* (yield* IdGenerator).next
})

/**
 * A timestamp given by a caller (any offset) as the SDK stores it: UTC with milliseconds, so that
 * stored timestamps compare as strings.
 *
 * @example
 * ```ts
 * import { toTimestamp } from "rmc-details"
 * toTimestamp("2026-03-01T10:00:00+01:00") // "2026-03-01T09:00:00.000Z"
 * ```
 */
export const toTimestamp = (input: string): string => new Date(input).toISOString()
