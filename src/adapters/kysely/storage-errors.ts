import { Effect } from "effect"
import { StorageError } from "../../domain/shared/errors"

/** A driver failure as the port's error: the cause is kept for logs, never put in the message. */
export const storageError = (cause: unknown): StorageError => new StorageError({ message: "The database failed to answer", cause })

/** A duplicate key, as each driver reports it. */
export const isUniqueViolation = (error: unknown): boolean => {
  const e = error as { code?: unknown; errno?: unknown; message?: unknown }
  return (
    e?.code === "23505" ||
    e?.code === "ER_DUP_ENTRY" ||
    e?.errno === 1062 ||
    (typeof e?.message === "string" && /UNIQUE constraint failed|PRIMARY KEY constraint failed/.test(e.message))
  )
}

/** Runs a query, turning any driver failure into a {@link StorageError}. */
export const attempt = <A>(query: () => Promise<A>): Effect.Effect<A, StorageError> => Effect.tryPromise({ try: query, catch: storageError })

/** Runs a query whose duplicate key means `onDuplicate()`, any other failure a {@link StorageError}. */
export const attemptUnique = <A, E>(query: () => Promise<A>, onDuplicate: () => E): Effect.Effect<A, StorageError | E> =>
  Effect.tryPromise({ try: query, catch: (cause) => (isUniqueViolation(cause) ? onDuplicate() : storageError(cause)) }) as Effect.Effect<
    A,
    StorageError | E
  >
