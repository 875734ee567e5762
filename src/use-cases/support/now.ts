import { Effect } from "effect"
import { Clock } from "../../ports/clock"
import { IdGenerator } from "../../ports/id-generator"

/**
 * The current time from the {@link Clock} port.
 *
 * @internal
 */
export const currentTime: Effect.Effect<string, never, Clock> = Effect.gen(function* () {
  return yield* (yield* Clock).now
})

/**
 * A new id from the {@link IdGenerator} port.
 *
 * @internal
 */
export const nextId: Effect.Effect<string, never, IdGenerator> = Effect.gen(function* () {
  return yield* (yield* IdGenerator).next
})

/**
 * A timestamp given by a caller (any offset) as the SDK stores it: UTC with milliseconds, so that
 * stored timestamps compare as strings.
 *
 * @internal
 */
export const toTimestamp = (input: string): string => new Date(input).toISOString()
