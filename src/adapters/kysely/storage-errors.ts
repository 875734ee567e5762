import { Effect } from "effect"
import { StorageError, type StorageFailure } from "../../domain/shared/errors"
import { StalePreparedStatement } from "./prepared-statements"

type DriverError = { code?: unknown; errno?: unknown; errcode?: unknown; message?: unknown; cause?: unknown }

/**
 * A failure that goes away if the unit of work runs again: a deadlock or a serialization failure
 * (PostgreSQL 40P01, 40001), a lock wait that timed out (PostgreSQL 55P03, MySQL/MariaDB 1205), a
 * deadlock victim (MySQL/MariaDB 1213, whose transaction the server has already rolled back), a
 * busy or locked SQLite database, or a prepared statement gone stale (its connection is replaced).
 */
export const isTransientConflict = (error: unknown): boolean => {
  const e = error as DriverError
  if (e === null || typeof e !== "object") return false
  return (
    e instanceof StalePreparedStatement ||
    e.code === "40001" ||
    e.code === "40P01" ||
    e.code === "55P03" ||
    e.errno === 1213 ||
    e.errno === 1205 ||
    e.code === "ER_LOCK_DEADLOCK" ||
    e.code === "ER_LOCK_WAIT_TIMEOUT" ||
    e.code === "SQLITE_BUSY" ||
    e.code === "SQLITE_LOCKED" ||
    // node:sqlite: the primary result code is the low byte (5 busy, 6 locked).
    (e.code === "ERR_SQLITE_ERROR" && typeof e.errcode === "number" && ((e.errcode & 0xff) === 5 || (e.errcode & 0xff) === 6))
  )
}

/** A statement or connection that ran out of time, on the client or on the server. */
export const isTimeout = (error: unknown): boolean => {
  const e = error as DriverError
  if (e === null || typeof e !== "object") return false
  if (e instanceof DeadlineError) return true
  const message = typeof e.message === "string" ? e.message : ""
  return (
    // PostgreSQL canceled the statement at `statement_timeout`.
    e.code === "57014" ||
    e.code === "PROTOCOL_SEQUENCE_TIMEOUT" ||
    e.code === "ETIMEDOUT" ||
    /Query read timeout|timeout exceeded when trying to connect|connection timeout/i.test(message)
  )
}

/** A deadline of the store or of a guarded pool, as the driver-level error it ends a statement with. */
export class DeadlineError extends Error {
  constructor(readonly what: string) {
    super(`${what} took longer than its deadline`)
    this.name = "DeadlineError"
  }
}

const reasonOf = (cause: unknown): StorageFailure => (isTransientConflict(cause) ? "conflict" : isTimeout(cause) ? "timeout" : "unavailable")

const messages: Record<StorageFailure, string> = {
  conflict: "The database reported a conflict with concurrent work",
  timeout: "The database did not answer in time",
  unavailable: "The database failed to answer",
}

/** A driver failure as the port's error: the cause is kept for logs, never put in the message. */
export const storageError = (cause: unknown): StorageError => {
  const reason = reasonOf(cause)
  return new StorageError({ message: messages[reason], reason, cause })
}

/** A duplicate key, as each driver reports it. */
export const isUniqueViolation = (error: unknown): boolean => {
  const e = error as DriverError
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
  Effect.tryPromise({ try: query, catch: (cause) => (isUniqueViolation(cause) ? onDuplicate() : storageError(cause)) }) as Effect.Effect<A, StorageError | E>
