import { Effect, Random } from "effect"
import { VersionConflictError } from "../../domain/shared/errors"

/**
 * How many times a command whose caller sent no version is run at most before a conflict with
 * concurrent writers reaches the caller. Each run is one short unit of work; a contended record
 * lets at least one writer through per round, so even 32 agents writing one record at once
 * settle well within this bound.
 *
 * @internal
 */
export const maxRunsOnRace = 64

/** Jittered backoff before run `n` (1-based): a few milliseconds, growing, capped at 50 ms. */
const pause = (n: number) => Effect.flatMap(Random.next, (r) => Effect.sleep(Math.round(r * Math.min(50, 2 ** Math.min(n, 6)))))

/**
 * Re-runs `command` when it fails with a {@link VersionConflictError}: for a command whose caller
 * sent no expected version, such a conflict only says that another agent wrote the same record
 * between this command's read and its write, so the command reads again and re-applies its change
 * (its unit of work was rolled back, nothing of the failed run is kept). Bounded by
 * {@link maxRunsOnRace}, with a little jitter so that the contenders do not meet again in step.
 *
 * `command` must be safe to run again after such a failure: everything it did before failing was
 * in the rolled-back unit of work (no call dialled, no message sent).
 *
 * @internal
 */
export const rerunOnRace = <A, E, R>(command: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> => {
  const run = (n: number): Effect.Effect<A, E, R> =>
    Effect.catchIf(
      command,
      (error): error is E & VersionConflictError => error instanceof VersionConflictError && n < maxRunsOnRace,
      () =>
        Effect.andThen(
          pause(n),
          Effect.suspend(() => run(n + 1)),
        ),
    )
  return run(1)
}
