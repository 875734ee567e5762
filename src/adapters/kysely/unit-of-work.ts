import { Cause, type Context, Duration, Effect, Exit, type Fiber, Random, Scheduler } from "effect"
import type { TransactionBuilder } from "kysely"
import { StorageError } from "../../domain/shared/errors"
import type { Storage, StorageRepositories } from "../../ports/storage"
import { ConnectionLease, currentLease } from "./connection-lease"
import { readCommittedDatabases } from "./read-committed-databases"
import { StalePreparedStatement } from "./prepared-statements"
import { repositories, type Store, TransactionRepositories } from "./repositories"
import { storageError } from "./storage-errors"
import { WriteBehind } from "./write-behind"

/**
 * How a store re-runs a unit of work that lost to concurrent work (a deadlock, a serialization
 * failure, a lock wait that timed out): `attempts` in all (default 8), waiting an exponential
 * backoff from `baseDelayMs` (default 5) up to `maxDelayMs` (default 250) between them, each wait
 * jittered so that the losers of one conflict do not meet again.
 *
 * @example
 * ```ts
 * import type { ConflictRetry } from "rmc-details/kysely"
 * const retry: ConflictRetry = { attempts: 5, baseDelayMs: 10, maxDelayMs: 500 }
 * ```
 */
export interface ConflictRetry {
  /** Runs in all, the first included (default 8); 1 turns retries off. */
  readonly attempts?: number | undefined
  /** The first wait, in milliseconds (default 5), doubled at each retry. */
  readonly baseDelayMs?: number | undefined
  /** The longest wait, in milliseconds (default 250). */
  readonly maxDelayMs?: number | undefined
}

/**
 * The defaults of a store's unit-of-work deadline (`timeoutMs`) and of its conflict retries.
 *
 * @example
 * ```ts
 * import { unitOfWorkDefaults } from "rmc-details/kysely"
 * unitOfWorkDefaults.timeoutMs // 15000
 * ```
 */
export const unitOfWorkDefaults = { timeoutMs: 15_000, attempts: 8, baseDelayMs: 5, maxDelayMs: 250 } as const

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

const timedOut = (timeoutMs: number) =>
  new StorageError({ message: `The database did not complete the unit of work within ${timeoutMs} ms`, reason: "timeout" })

const isConflict = (error: unknown): error is StorageError => error instanceof StorageError && error.reason === "conflict"
const isStale = (error: unknown): error is StorageError => isConflict(error) && error.cause instanceof StalePreparedStatement

/**
 * How a store runs its units of work: `transaction` in one database transaction, re-run on a
 * transient conflict, `query` on the database outside any; both within the store's deadline.
 */
export const unitOfWork = (store: Store): Pick<Storage["Service"], "transaction" | "query"> => {
  const { db } = store.options
  const timeoutMs = store.options.transactionTimeoutMs ?? unitOfWorkDefaults.timeoutMs
  const attempts = Math.max(1, store.options.retry?.attempts ?? unitOfWorkDefaults.attempts)
  const baseDelayMs = store.options.retry?.baseDelayMs ?? unitOfWorkDefaults.baseDelayMs
  const maxDelayMs = store.options.retry?.maxDelayMs ?? unitOfWorkDefaults.maxDelayMs
  /** The wait before run `runs + 1`: exponential from the base, capped, then jittered by ±20 %. */
  const backoff = (runs: number) =>
    Effect.flatMap(Random.next, (random) => {
      const millis = Math.min(baseDelayMs * 2 ** (runs - 1), maxDelayMs)
      return Effect.sleep(Duration.millis(millis * 0.8 * (1 - random) + millis * 1.2 * random))
    })
  // Reads outside a transaction share one set of repositories; the transactions on one connection
  // share another, pointed at each of them in turn.
  const outside = repositories(db, store)
  const inTransaction = new TransactionRepositories(store)
  // Built at the first transaction, then shared: a transaction builder only holds settings. Not
  // before: a store may be made on a Kysely transaction, which serves its queries but no transaction.
  let builder: TransactionBuilder<any> | undefined
  const transactionBuilder = () =>
    (builder ??= store.c.supportsIsolationLevels && !readCommittedDatabases.has(db) ? db.transaction().setIsolationLevel("read committed") : db.transaction())

  /** One run of the unit of work in one database transaction, answered at the deadline at the latest. */
  const once = <A, E, R>(work: (repositories: StorageRepositories) => Effect.Effect<A, E, R>, deadline: number) =>
    Effect.contextWith((context: Context.Context<R>) =>
      Effect.callback<A, E | StorageError, R>((resume) => {
        const remaining = deadline - Date.now()
        if (remaining <= 0) return resume(Effect.fail(timedOut(timeoutMs)))
        const lease = new ConnectionLease()
        // The fiber of the work, once the transaction has begun; interrupting it rolls the transaction back.
        let running: Fiber.Fiber<A, E> | undefined
        let stopped = false
        const stop = () => {
          stopped = true
          running?.interruptUnsafe()
        }
        let answered = false
        const answer = (effect: Effect.Effect<A, E | StorageError>) => {
          if (answered) return
          answered = true
          resume(effect)
        }
        let passed: (() => void) | undefined
        const timer = setTimeout(() => {
          // The caller is answered now; the connection is destroyed rather than awaited, so the
          // database rolls the transaction back on its side, however long it takes to notice.
          lease.expire()
          stop()
          answer(Effect.fail(timedOut(timeoutMs)))
          passed?.()
        }, remaining)
        // Kysely's callback transaction: it commits when the callback returns, and rolls back when it
        // throws (a failure, a defect or an interruption of the unit of work) or when the commit fails.
        const done = currentLease
          .run(lease, () =>
            transactionBuilder().execute(async (trx) => {
              // Interrupted or past the deadline while waiting for the connection: nothing runs.
              if (stopped) throw new RolledBack(lease.expired ? Cause.fail(timedOut(timeoutMs)) : Cause.interrupt())
              // The transaction holds one connection until it ends; its cached statements go to it
              // directly rather than through the transaction's executor, one lookup instead of one per statement.
              const connection = await trx.getExecutor().provideConnection(async (held) => held)
              // Where the dialect can send several inserts as one statement, and no plugin has to see
              // each statement, inserts wait for the transaction's next statement.
              const writeBehind =
                store.c.supportsDataModifyingCte && trx.getExecutor().plugins.length === 0 ? WriteBehind.attach(connection, store.statements) : undefined
              try {
                // The work runs in a fiber of its own, on the caller's context, for the callback to await.
                const fiber = Effect.runForkWith(context)(work(inTransaction.of(trx, connection, writeBehind)))
                running = fiber
                const exit = fiber.pollUnsafe() ?? (await new Promise<Exit.Exit<A, E>>((resolve) => fiber.addObserver(resolve)))
                if (Exit.isFailure(exit)) throw new RolledBack(exit.cause)
                // Past the deadline the caller has had its answer: never commit behind its back.
                if (lease.expired) throw new RolledBack(Cause.fail(timedOut(timeoutMs)))
                await writeBehind?.flush()
                if (lease.expired) throw new RolledBack(Cause.fail(timedOut(timeoutMs)))
                return exit.value
              } finally {
                // Before the commit or the rollback: what is still held is dropped with the transaction.
                writeBehind?.detach()
              }
            }),
          )
          .then(
            (value) => answer(Effect.succeed(value)),
            (error: unknown) => answer(error instanceof RolledBack ? Effect.failCause(error.cause as Cause.Cause<E>) : Effect.fail(storageError(error))),
          )
          .finally(() => clearTimeout(timer))
        // An interrupted unit of work completes once the database has rolled it back, or at its
        // deadline on a database that does not answer.
        return Effect.suspend(() => {
          stop()
          return Effect.promise(() => (lease.expired ? Promise.resolve() : Promise.race([done, new Promise<void>((resolve) => (passed = resolve))])))
        })
      }),
    )

  return {
    transaction: <A, E, R>(work: (repositories: StorageRepositories) => Effect.Effect<A, E, R>) =>
      onDriverTime(
        Effect.suspend(() => {
          // One deadline for every run: the caller waits at most this long, retries included.
          const deadline = Date.now() + timeoutMs
          if (attempts === 1) return once(work, deadline)
          // The retry loop is built only once a run has lost: most units of work commit at their first run.
          const run = (runs: number): Effect.Effect<A, E | StorageError, R> =>
            Effect.catchIf(once(work, deadline), isConflict, (error) =>
              runs < attempts && Date.now() < deadline
                ? Effect.andThen(
                    backoff(runs),
                    Effect.suspend(() => run(runs + 1)),
                  )
                : Effect.fail(
                    new StorageError({
                      message: `The database kept reporting conflicts with concurrent work (${runs} attempts)`,
                      reason: "conflict",
                      cause: error.cause,
                    }),
                  ),
            )
          return run(1)
        }),
      ),
    query: (work) =>
      onDriverTime(
        // Reads: one that met a stale prepared statement runs again, on a connection that prepares afresh.
        Effect.catchIf(work(outside), isStale, () => work(outside)).pipe(
          Effect.timeoutOrElse({ duration: Duration.millis(timeoutMs), orElse: () => Effect.fail(timedOut(timeoutMs)) }),
        ),
      ),
  }
}
