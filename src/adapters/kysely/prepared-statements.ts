/**
 * The statement texts a store sends over and over (its cached statements), each with a name of its
 * own for the database server to keep it prepared.
 *
 * A server parses and plans an unnamed statement at every run; on PostgreSQL and MariaDB that work
 * is a large part of a short write's cost on the server. The statement cache registers each text
 * it compiles; a guarded pool ({@link guardPostgresPool}, {@link guardMysqlPool}) prepares a
 * registered text once per connection and then only binds and runs it. Every other statement (a
 * dynamic search, a migration, the application's own) runs unnamed, as before.
 *
 * Process-wide, so that the stores sharing a pool agree on names. A name is never reused for
 * another text: a connection keeps what it prepared under a name until it closes. The number of
 * names is bounded; past the bound, new texts simply run unnamed.
 */
const names = new Map<string, string>()
const bound = 4096

/** Registers `sql` as a statement worth keeping prepared. */
export const registerPrepared = (sql: string): void => {
  if (names.size < bound && !names.has(sql)) names.set(sql, `rmc_details_${names.size + 1}`)
}

/** The prepared name of `sql`, or `undefined` when it runs unnamed. */
export const preparedName = (sql: string): string | undefined => names.get(sql)

/**
 * A prepared statement that no longer matches the database: its table changed shape after it was
 * prepared (PostgreSQL: "cached plan must not change result type"), or the server dropped it
 * behind the connection's back (`DISCARD ALL`, `DEALLOCATE`). The guard closes the connection,
 * whose next owner prepares afresh, and the store re-runs the unit of work as it does after a
 * transient conflict.
 */
export class StalePreparedStatement extends Error {
  constructor(override readonly cause: unknown) {
    super("A prepared statement no longer matched the database; the connection was closed")
    this.name = "StalePreparedStatement"
  }
}

/** Whether a driver error says that a prepared statement went stale (see {@link StalePreparedStatement}). */
export const isStalePrepared = (error: unknown): boolean => {
  const e = error as { code?: unknown; errno?: unknown; message?: unknown } | null
  if (e === null || typeof e !== "object") return false
  return (
    // PostgreSQL: the plan's result type changed (0A000 with this message only) or the name is unknown.
    (e.code === "0A000" && typeof e.message === "string" && e.message.includes("cached plan must not change result type")) ||
    e.code === "26000" ||
    // MySQL/MariaDB: ER_NEED_REPREPARE, after the server's own re-prepare attempts failed.
    e.errno === 1615 ||
    // MySQL/MariaDB: ER_UNKNOWN_STMT_HANDLER.
    e.errno === 1243
  )
}
