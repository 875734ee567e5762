import { Effect } from "effect"
import { ValidationError } from "../../domain/shared/errors"
import { maxClockSkewMs } from "../../domain/shared/max-clock-skew"
import { Clock } from "../../ports/clock"
import { IdGenerator } from "../../ports/id-generator"

/**
 * The current time from the {@link Clock} port.
 *
 * @internal
 */
export const currentTime: Effect.Effect<string, never, Clock> = Clock.use((clock) => clock.now)

/**
 * A new id from the {@link IdGenerator} port.
 *
 * @internal
 */
export const nextId: Effect.Effect<string, never, IdGenerator> = IdGenerator.use((ids) => ids.next)

/**
 * A timestamp given by a caller (any offset) as the SDK stores it: UTC with milliseconds, so that
 * stored timestamps compare as strings.
 *
 * @internal
 */
export const toTimestamp = (input: string): string => new Date(input).toISOString()

/**
 * A time given by a caller (the `at` of a message or of a call-status report), as the SDK stores
 * it, once checked against the clock's `now`: at most {@link maxClockSkewMs} ahead, or a
 * {@link ValidationError} naming the field.
 *
 * @internal
 */
export const callerTime = (input: string, now: string, path: ReadonlyArray<string | number>): Effect.Effect<string, ValidationError> => {
  const at = toTimestamp(input)
  const latest = new Date(Date.parse(now) + maxClockSkewMs).toISOString()
  if (at <= latest) return Effect.succeed(at)
  const message = `is more than ${maxClockSkewMs / 60_000} minutes ahead of the current time (${now})`
  return Effect.fail(new ValidationError({ message: `Invalid ${path.join(".")}: ${message}`, issues: [{ path, message }] }))
}
