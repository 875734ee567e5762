import { type Cause, type Context, Effect, Exit, Scheduler } from "effect"
import type { StorageError } from "../../domain/shared/errors"
import type { Storage, StorageRepositories } from "../../ports/storage"
import { repositories, type Store } from "./repositories"
import { storageError } from "./storage-errors"

/** Thrown inside a database transaction to roll it back, carrying the unit of work's own failure. */
class RolledBack {
  constructor(readonly cause: Cause.Cause<unknown>) {}
}

/**
 * Database work resumes on the microtask queue as soon as the driver answers, instead of waiting
 * for a turn of the event loop: a unit of work is a short chain of round trips with little CPU
 * between them, and each extra turn would add latency to every statement.
 */
const promptly = new Scheduler.MixedScheduler("sync")
const onDriverTime = <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.provideService(effect, Scheduler.Scheduler, promptly)

/**
 * How a store runs its units of work: `transaction` in one database transaction, `query` on the
 * database outside any.
 */
export const unitOfWork = (store: Store): Pick<Storage["Service"], "transaction" | "query"> => {
  const { db } = store.options
  // Reads outside a transaction share one set of repositories; a transaction gets its own.
  const outside = repositories(db, store)
  return {
    transaction: <A, E, R>(work: (repositories: StorageRepositories) => Effect.Effect<A, E, R>) =>
      onDriverTime(
        Effect.contextWith((context: Context.Context<R>) =>
          Effect.callback<A, E | StorageError, R>((resume, signal) => {
            const settings = db.transaction()
            // Kysely's callback transaction: it commits when the callback returns, and rolls back when it
            // throws (a failure, a defect or an interruption of the unit of work) or when the commit fails.
            const done = (store.c.supportsIsolationLevels ? settings.setIsolationLevel("read committed") : settings)
              .execute(async (trx) => {
                const exit = await Effect.runPromiseExitWith(context)(work(repositories(trx, store)), { signal })
                if (Exit.isFailure(exit)) throw new RolledBack(exit.cause)
                return exit.value
              })
              .then(
                (value) => resume(Effect.succeed(value)),
                (error: unknown) => resume(error instanceof RolledBack ? Effect.failCause(error.cause as Cause.Cause<E>) : Effect.fail(storageError(error))),
              )
            // An interrupted unit of work completes once the database has rolled it back.
            return Effect.promise(() => done)
          }),
        ),
      ),
    query: (work) => onDriverTime(work(outside)),
  }
}
