import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from "kysely"
import { currentLease } from "./connection-lease"
import { isStalePrepared, preparedName, StalePreparedStatement } from "./prepared-statements"
import { DeadlineError } from "./storage-errors"

/**
 * The parts of a `pg.Pool` the guard uses: its events, `connect` and `end`. Structural, so that
 * `pg` stays an optional dependency.
 *
 * @example
 * ```ts
 * import pg from "pg"
 * import type { PgPoolLike } from "rmc-details/kysely"
 * const pool: PgPoolLike = new pg.Pool({ connectionString: process.env.DATABASE_URL })
 * ```
 */
export interface PgPoolLike {
  /** Checks a client out. */
  connect(): Promise<PgClientLike>
  /** Closes every client. */
  end(): Promise<void>
  /** Hears an idle client's failure. */
  on(event: "error", listener: (error: Error, client: unknown) => void): unknown
  /** Hears each new client. */
  on(event: "connect", listener: (client: PgClientLike) => void): unknown
  /** The pool's configuration, which Kysely reads for its cancel connections. */
  readonly options: object
  /** The client class, which Kysely uses for its cancel connections. */
  readonly Client?: PostgresPool["Client"]
}

/**
 * The parts of a `pg` client the guard uses.
 *
 * @example
 * ```ts
 * import type { PgClientLike } from "rmc-details/kysely"
 * const done = (client: PgClientLike) => client.release()
 * ```
 */
export interface PgClientLike {
  /** Runs one statement. */
  query(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<unknown>>
  /** Runs one statement, kept prepared under `name` on this connection when a name is given. */
  query(config: { name?: string; text: string; values: ReadonlyArray<unknown> }): Promise<PostgresQueryResult<unknown>>
  /** Gives the client back to its pool, or destroys it when `destroy` is set. */
  release(destroy?: boolean | Error): void
  /** Hears the client's connection failing. */
  on(event: "error", listener: (error: Error) => void): unknown
  /** The backend's process id. */
  readonly processID?: number
}

/**
 * What a guarded pool does on the side: `onError` hears the errors of idle and checked-out
 * connections (a restarted or killed backend) that are otherwise handled.
 *
 * @example
 * ```ts
 * import type { PoolGuardOptions } from "rmc-details/kysely"
 * const options: PoolGuardOptions = { onError: (error) => console.warn("database connection lost", error) }
 * ```
 */
export interface PoolGuardOptions {
  /** Hears the errors of connections that died; they are handled whether it is set or not. */
  readonly onError?: ((error: unknown) => void) | undefined
  /**
   * Whether the store's cached statements are kept prepared on each connection (default `true`):
   * the server then parses and plans each of them once per connection instead of at every run.
   * Set `false` behind a pooler that does not carry prepared statements from one transaction to
   * the next (PgBouncer in transaction mode before 1.21, or without `max_prepared_statements`).
   */
  readonly preparedStatements?: boolean | undefined
}

/** The socket of a `pg` client, to end it at once: `pg` has no public way to. */
const destroySocket = (client: PgClientLike) => {
  const internal = client as unknown as { connection?: { stream?: { destroy?: () => void } } }
  internal.connection?.stream?.destroy?.()
}

/** Whether a `pg` client can still take a statement (it cannot after its connection failed). */
const usable = (client: PgClientLike) => {
  const internal = client as unknown as { _queryable?: boolean; _ending?: boolean; connection?: { stream?: { destroyed?: boolean } } }
  return internal._queryable !== false && internal._ending !== true && internal.connection?.stream?.destroyed !== true
}

/** A statement that `pg` gave up waiting for: the connection still has it in flight. */
const isReadTimeout = (error: unknown) => error instanceof Error && error.message === "Query read timeout"

/** A checked-out client, as Kysely sees it: released destroyed when its connection is not reusable. */
class GuardedClient implements PostgresPoolClient {
  /** Unregisters the client from the lease of the unit of work that holds it. */
  unhold: (() => void) | undefined = undefined
  discarded = false

  constructor(
    readonly client: PgClientLike,
    readonly prepare: boolean,
  ) {}

  get processID(): number | undefined {
    return this.client.processID
  }

  query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>
  query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>
  query(sql: any, parameters?: any): any {
    // A cursor (streaming) goes to the client as it is.
    if (typeof sql !== "string") return (this.client.query as (cursor: unknown) => unknown)(sql)
    const name = this.prepare ? preparedName(sql) : undefined
    const result = name === undefined ? this.client.query(sql, parameters) : this.client.query({ name, text: sql, values: parameters })
    return result.catch((error: unknown) => {
      // The server still runs the statement and would answer it later, out of turn: end the connection.
      if (isReadTimeout(error)) this.discard()
      // A connection whose prepared statements no longer match the database is closed at its
      // release (not now: its transaction still has to roll back).
      if (name !== undefined && isStalePrepared(error)) {
        this.discarded = true
        throw new StalePreparedStatement(error)
      }
      throw error
    })
  }

  discard(): void {
    this.discarded = true
    destroySocket(this.client)
  }

  release(destroy?: boolean): void {
    this.unhold?.()
    this.unhold = undefined
    const discard = destroy === true || this.discarded || !usable(this.client)
    this.discarded = false
    this.client.release(discard ? true : undefined)
  }
}

/**
 * A `pg.Pool` made safe for a long-running application, to give to Kysely's `PostgresDialect`:
 *
 * - the pool and every client get an `error` listener: a backend that dies (a restart,
 *   `pg_terminate_backend`, a network cut) fails the statements in flight instead of raising an
 *   unhandled `error` event, which would end the process;
 * - a client whose connection failed, or whose statement `pg` stopped waiting for
 *   (`query_timeout`), is destroyed on release instead of going back to the pool, and a broken idle
 *   client is never handed out;
 * - the connections of a unit of work whose deadline passed are destroyed at once (see
 *   {@link KyselyStorageOptions.transactionTimeoutMs}).
 *
 * {@link createKyselyDatabase} guards the pools it creates. Deadlines stay the pool's: set
 * `connectionTimeoutMillis`, `statement_timeout` and `query_timeout` on it.
 *
 * @example
 * ```ts
 * import pg from "pg"
 * import { Kysely, PostgresDialect } from "kysely"
 * import { guardPostgresPool } from "rmc-details/kysely"
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, connectionTimeoutMillis: 5000, statement_timeout: 10000, query_timeout: 10500 })
 * const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: guardPostgresPool(pool) }) })
 * ```
 */
export const guardPostgresPool = (pool: PgPoolLike, options: PoolGuardOptions = {}): PostgresPool => {
  const report = options.onError ?? (() => {})
  const prepare = options.preparedStatements ?? true
  const guarded = new WeakMap<PgClientLike, GuardedClient>()
  // An idle client that fails is removed by the pool, which then emits `error` here.
  pool.on("error", (error) => report(error))
  // A checked-out client emits `error` between statements when its connection fails.
  pool.on("connect", (client) => {
    client.on("error", (error) => report(error))
  })
  const connect = async (): Promise<GuardedClient> => {
    const lease = currentLease.getStore()
    let client = await pool.connect()
    // A client whose connection died while idle may not have been removed yet: take another.
    for (let tries = 0; !usable(client) && tries < 3; tries++) {
      client.release(true)
      client = await pool.connect()
    }
    // The unit of work ran out of time while queueing: the healthy connection goes back unused.
    if (lease?.expired) {
      client.release()
      throw new DeadlineError("Acquiring a connection")
    }
    let wrapper = guarded.get(client)
    if (wrapper === undefined) {
      wrapper = new GuardedClient(client, prepare)
      guarded.set(client, wrapper)
    }
    if (lease !== undefined) {
      const held = wrapper
      held.unhold = lease.hold(() => held.discard())
    }
    return wrapper
  }
  return {
    connect,
    end: () => pool.end(),
    options: pool.options,
    ...(pool.Client === undefined ? {} : { Client: pool.Client }),
  }
}

/**
 * Type parsers for a `pg.Pool` of the store: 64-bit integers (counts, outbox positions) read as
 * numbers. Given per pool (`new pg.Pool({ types: postgresTypes(pg.types) })`), so the application's
 * other `pg` clients keep reading them as strings.
 *
 * @example
 * ```ts
 * import pg from "pg"
 * import { postgresTypes } from "rmc-details/kysely"
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, types: postgresTypes(pg.types) })
 * ```
 */
export const postgresTypes = (types: PgTypes): PgTypes => ({
  getTypeParser: (oid: number, format?: string) =>
    oid === 20 && (format === undefined || format === "text") ? Number : types.getTypeParser(oid, format as never),
})

/**
 * A `pg` type-parser registry, as `pg.types` is and as `pg.Pool` accepts in its `types` option.
 *
 * @example
 * ```ts
 * import pg from "pg"
 * import type { PgTypes } from "rmc-details/kysely"
 * const types: PgTypes = pg.types
 * ```
 */
export interface PgTypes {
  /** The parser of values of the type `oid` in `format` (`text` or `binary`). */
  getTypeParser(oid: number, format?: any): any
}
