import type { MysqlPool, MysqlPoolConnection, MysqlQueryResult } from "kysely"
import { currentLease } from "./connection-lease"
import type { PoolGuardOptions } from "./postgres-pool"
import { isStalePrepared, preparedName, StalePreparedStatement } from "./prepared-statements"
import { DeadlineError } from "./storage-errors"

/**
 * The parts of a `mysql2` pool the guard uses. Structural, so that `mysql2` stays optional.
 *
 * @example
 * ```ts
 * import { createPool } from "mysql2"
 * import type { Mysql2PoolLike } from "rmc-details/kysely"
 * const pool: Mysql2PoolLike = createPool({ uri: "mysql://root@127.0.0.1:3306/app" })
 * ```
 */
export interface Mysql2PoolLike {
  /** Checks a connection out. */
  getConnection(callback: (error: unknown, connection: Mysql2ConnectionLike) => void): void
  /** Closes every connection. */
  end(callback: (error: unknown) => void): void
  /** Hears each new connection. */
  on(event: "connection", listener: (connection: Mysql2ConnectionLike) => void): unknown
}

/**
 * The parts of a `mysql2` pool connection the guard uses.
 *
 * @example
 * ```ts
 * import type { Mysql2ConnectionLike } from "rmc-details/kysely"
 * const done = (connection: Mysql2ConnectionLike) => connection.release()
 * ```
 */
export interface Mysql2ConnectionLike extends MysqlPoolConnection {
  /** Hears the connection failing. */
  on(event: "error", listener: (error: Error) => void): unknown
  /** Runs one statement with options (a `timeout` among them). */
  query(options: { sql: string; values?: unknown; timeout?: number }, callback?: (error: unknown, result: MysqlQueryResult) => void): any
  /** Runs one statement. */
  query(sql: string, parameters: any, callback?: (error: unknown, result: MysqlQueryResult) => void): any
  /** Runs one statement as a prepared statement, prepared once per connection. */
  execute?(options: { sql: string; values?: unknown; timeout?: number }, callback: (error: unknown, result: MysqlQueryResult) => void): any
}

/**
 * Deadlines of a guarded `mysql2` pool, in milliseconds: waiting for a connection, and one statement
 * (`mysql2` stops waiting and the connection is destroyed; InnoDB lock waits are set to end first,
 * with a lock timeout that the store retries).
 *
 * @example
 * ```ts
 * import type { MysqlPoolGuardOptions } from "rmc-details/kysely"
 * const options: MysqlPoolGuardOptions = { acquireTimeoutMs: 5000, statementTimeoutMs: 10000 }
 * ```
 */
export interface MysqlPoolGuardOptions extends PoolGuardOptions {
  /** How long to wait for a connection, in milliseconds; no limit when unset. */
  readonly acquireTimeoutMs?: number | undefined
  /** How long one statement may take, in milliseconds; no limit when unset. */
  readonly statementTimeoutMs?: number | undefined
  /**
   * Starts each new connection's session at READ COMMITTED, the level the store's transactions
   * run at (default `false`: the server's default, REPEATABLE READ, until a transaction sets its
   * own). {@link createKyselyDatabase} sets it for the pools it creates, whose stores then begin
   * their transactions without setting the level each time, a round trip saved per transaction.
   */
  readonly readCommittedSessions?: boolean | undefined
}

const connectionLost = (error: unknown) => {
  const e = error as { fatal?: unknown; code?: unknown }
  return e?.fatal === true || e?.code === "PROTOCOL_SEQUENCE_TIMEOUT"
}

/** A checked-out connection, as Kysely sees it: statements carry the deadline, a failed connection is destroyed. */
class GuardedConnection implements MysqlPoolConnection {
  unhold: (() => void) | undefined = undefined
  /** Set when a prepared statement went stale: the connection is destroyed at its release. */
  discarded = false
  constructor(
    readonly connection: Mysql2ConnectionLike,
    readonly statementTimeoutMs: number | undefined,
    readonly prepare: boolean,
  ) {}

  get config(): object {
    return this.connection.config
  }
  get threadId(): number {
    return this.connection.threadId
  }
  connect(callback?: (error: unknown) => void): void {
    this.connection.connect(callback)
  }

  query(sql: string, parameters: any, callback?: (error: unknown, result: MysqlQueryResult) => void): any {
    if (callback === undefined) return this.connection.query(sql, parameters)
    const options = { sql, values: parameters, ...(this.statementTimeoutMs === undefined ? {} : { timeout: this.statementTimeoutMs }) }
    const prepared = this.prepare && this.connection.execute !== undefined && preparedName(sql) !== undefined
    const answer = (error: unknown, result: MysqlQueryResult) => {
      // A statement mysql2 stopped waiting for is still in flight: the connection cannot be reused.
      if (error && connectionLost(error)) this.destroy()
      else if (error && prepared && isStalePrepared(error)) {
        this.discarded = true
        return callback(new StalePreparedStatement(error), result)
      }
      callback(error, result)
    }
    return prepared ? this.connection.execute!(options, answer) : this.connection.query(options, answer)
  }

  destroy(): void {
    this.unhold?.()
    this.unhold = undefined
    this.connection.destroy()
  }

  release(): void {
    if (this.discarded) {
      this.discarded = false
      this.destroy()
      return
    }
    this.unhold?.()
    this.unhold = undefined
    this.connection.release()
  }
}

/**
 * A `mysql2` pool made safe for a long-running application, to give to Kysely's `MysqlDialect`:
 * every connection gets an `error` listener (a server restart or a killed connection fails the
 * statements in flight instead of raising an unhandled `error` event), statements and the wait
 * for a connection have deadlines, a connection whose statement timed out is destroyed, and the
 * connections of a unit of work whose deadline passed are destroyed at once.
 *
 * {@link createKyselyDatabase} guards the pools it creates.
 *
 * @example
 * ```ts
 * import { createPool } from "mysql2"
 * import { Kysely, MysqlDialect } from "kysely"
 * import { guardMysqlPool } from "rmc-details/kysely"
 * const pool = createPool({ uri: process.env.DATABASE_URL, timezone: "Z", connectTimeout: 5000 })
 * const db = new Kysely<any>({ dialect: new MysqlDialect({ pool: guardMysqlPool(pool, { acquireTimeoutMs: 5000, statementTimeoutMs: 10000 }) }) })
 * ```
 */
export const guardMysqlPool = (pool: Mysql2PoolLike, options: MysqlPoolGuardOptions = {}): MysqlPool => {
  const report = options.onError ?? (() => {})
  const { acquireTimeoutMs, statementTimeoutMs } = options
  const prepare = options.preparedStatements ?? true
  const guarded = new WeakMap<Mysql2ConnectionLike, GuardedConnection>()
  // Lock waits end on the server, with an error the store retries, before the statement's deadline.
  const lockWaitSeconds = statementTimeoutMs === undefined ? undefined : Math.max(1, Math.floor(statementTimeoutMs / 1000) - 1)
  pool.on("connection", (connection) => {
    connection.on("error", (error) => report(error))
    // Queued before any statement of the connection's first owner.
    if (options.readCommittedSessions === true) {
      connection.query("set session transaction isolation level read committed", [], (error) => {
        if (error) report(error)
      })
    }
    if (lockWaitSeconds !== undefined) {
      connection.query(`set session innodb_lock_wait_timeout = ${lockWaitSeconds}`, [], (error) => {
        if (error) report(error)
      })
    }
  })
  return {
    getConnection(callback) {
      const lease = currentLease.getStore()
      let answered = false
      const timer =
        acquireTimeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              answered = true
              callback(new DeadlineError("Acquiring a connection"), undefined as never)
            }, acquireTimeoutMs)
      pool.getConnection((error, connection) => {
        if (answered) {
          // The caller has had its timeout: the late connection goes back unused.
          if (!error) connection.release()
          return
        }
        answered = true
        if (timer !== undefined) clearTimeout(timer)
        if (error) return callback(error, undefined as never)
        // The unit of work ran out of time while queueing: the healthy connection goes back unused.
        if (lease?.expired) {
          connection.release()
          return callback(new DeadlineError("Acquiring a connection"), undefined as never)
        }
        let wrapper = guarded.get(connection)
        if (wrapper === undefined) {
          wrapper = new GuardedConnection(connection, statementTimeoutMs, prepare)
          guarded.set(connection, wrapper)
        }
        if (lease !== undefined) {
          const held = wrapper
          held.unhold = lease.hold(() => held.destroy())
        }
        callback(null, wrapper)
      })
    },
    end: (callback) => pool.end(callback),
  }
}
