import { Kysely, PGliteDialect, PostgresDialect, MysqlDialect } from "kysely"
import type { SqlDialect } from "./dialect"
import { readCommittedDatabases } from "./read-committed-databases"
import { guardMysqlPool } from "./mysql-pool"
import { nodeSqliteDialect } from "./node-sqlite-dialect"
import { guardPostgresPool, type PoolGuardOptions, postgresTypes } from "./postgres-pool"

/**
 * How long a server database may take, in milliseconds, and who hears about lost connections.
 * `acquireTimeoutMs` (default 5,000) bounds the wait for a connection, queueing for a free one and
 * connecting included; `statementTimeoutMs` (default 10,000) bounds one statement: PostgreSQL
 * cancels it on the server (`statement_timeout`), and the driver stops waiting shortly after
 * (500 ms later on PostgreSQL, at once on MySQL) and destroys the connection, for a server that
 * cannot even cancel. Either ends in a `StorageError` with reason `timeout`. `onConnectionError`
 * hears the errors of connections that died (restart, killed backend), which are handled anyway.
 *
 * @example
 * ```ts
 * import type { ServerDatabaseOptions } from "rmc-details/kysely"
 * const options: ServerDatabaseOptions = { acquireTimeoutMs: 2000, statementTimeoutMs: 5000, onConnectionError: (e) => console.warn(e) }
 * ```
 */
export interface ServerDatabaseOptions {
  /** Connections in the pool (default 10). */
  readonly maxConnections?: number | undefined
  /** How long to wait for a connection, in milliseconds (default 5,000). */
  readonly acquireTimeoutMs?: number | undefined
  /** How long one statement may take, in milliseconds (default 10,000). */
  readonly statementTimeoutMs?: number | undefined
  /** Hears the errors of connections that died (restart, killed backend); they are handled anyway. */
  readonly onConnectionError?: ((error: unknown) => void) | undefined
  /**
   * Whether the store's cached statements stay prepared on each connection (default `true`); see
   * {@link PoolGuardOptions.preparedStatements}. Set `false` behind a pooler that does not keep
   * prepared statements between transactions.
   */
  readonly preparedStatements?: boolean | undefined
}

/** The deadlines of {@link ServerDatabaseOptions} when none is given. */
const defaults = { acquireTimeoutMs: 5_000, statementTimeoutMs: 10_000 }
/** How much longer than the server's own statement timeout the PostgreSQL driver waits. */
const clientMarginMs = 500

/**
 * Where the database is: a SQLite file (or `:memory:`), a PostgreSQL or MySQL/MariaDB URL, or an
 * embedded PGlite (in memory, or in a data directory).
 *
 * @example
 * ```ts
 * import type { DatabaseConfig } from "rmc-details/kysely"
 * const config: DatabaseConfig = { dialect: "postgres", url: "postgres://postgres@127.0.0.1:5432/app" }
 * ```
 */
export type DatabaseConfig =
  | { readonly dialect: "sqlite"; readonly path: string }
  | ({ readonly dialect: "postgres"; readonly url: string } & ServerDatabaseOptions)
  | ({ readonly dialect: "mysql"; readonly url: string } & ServerDatabaseOptions)
  | { readonly dialect: "pglite"; readonly dataDir?: string | undefined }

/**
 * A database opened by {@link createKyselyDatabase}: the Kysely instance, its SQL family for the
 * store, and how to close it.
 *
 * @example
 * ```ts
 * import type { KyselyDatabase } from "rmc-details/kysely"
 * const close = (database: KyselyDatabase) => database.destroy()
 * ```
 */
export interface KyselyDatabase {
  readonly db: Kysely<any>
  readonly dialect: SqlDialect
  /** Closes the connections (or the embedded database). */
  destroy(): Promise<void>
}

/**
 * Opens a database with the right Kysely dialect. The drivers of PostgreSQL (`pg`), MySQL
 * (`mysql2`) and PGlite (`@electric-sql/pglite`) are optional peer dependencies, loaded only
 * when used; SQLite is built into Node. Server pools are guarded ({@link guardPostgresPool},
 * {@link guardMysqlPool}): a restarted database or a killed connection fails the statements in
 * flight with a `StorageError` and never ends the process, and the next command reconnects.
 * Deadlines are set from {@link ServerDatabaseOptions}.
 *
 * @example
 * ```ts
 * import { createKyselyDatabase, makeKyselyStorage, migrateToLatest } from "rmc-details/kysely"
 * const { db, dialect } = await createKyselyDatabase({ dialect: "sqlite", path: ":memory:" })
 * await migrateToLatest(db, { dialect })
 * const storage = makeKyselyStorage({ db, dialect })
 * ```
 */
export const createKyselyDatabase = async (config: DatabaseConfig): Promise<KyselyDatabase> => {
  const open = (db: Kysely<any>, dialect: SqlDialect): KyselyDatabase => ({ db, dialect, destroy: () => db.destroy() })
  switch (config.dialect) {
    case "sqlite":
      return open(new Kysely<any>({ dialect: nodeSqliteDialect(config.path) }), "sqlite")
    case "postgres": {
      const { default: pg } = await import("pg")
      const acquire = config.acquireTimeoutMs ?? defaults.acquireTimeoutMs
      const statement = config.statementTimeoutMs ?? defaults.statementTimeoutMs
      const pool = new pg.Pool({
        connectionString: config.url,
        max: config.maxConnections ?? 10,
        connectionTimeoutMillis: acquire,
        statement_timeout: statement,
        query_timeout: statement + clientMarginMs,
        keepAlive: true,
        // Counts and sequences are 64-bit: read them as numbers, in this pool only.
        types: postgresTypes(pg.types),
      })
      const guarded = guardPostgresPool(pool, { onError: config.onConnectionError, preparedStatements: config.preparedStatements })
      return open(new Kysely<any>({ dialect: new PostgresDialect({ pool: guarded }) }), "postgres")
    }
    case "mysql": {
      const { createPool } = await import("mysql2")
      const acquire = config.acquireTimeoutMs ?? defaults.acquireTimeoutMs
      const statement = config.statementTimeoutMs ?? defaults.statementTimeoutMs
      const pool = createPool({
        uri: config.url,
        connectionLimit: config.maxConnections ?? 10,
        connectTimeout: acquire,
        timezone: "Z",
        supportBigNumbers: true,
        bigNumberStrings: false,
      })
      const guarded = guardMysqlPool(pool, {
        acquireTimeoutMs: acquire,
        statementTimeoutMs: statement,
        onError: config.onConnectionError,
        preparedStatements: config.preparedStatements,
        readCommittedSessions: true,
      })
      const db = new Kysely<any>({ dialect: new MysqlDialect({ pool: guarded }) })
      readCommittedDatabases.add(db)
      return open(db, "mysql")
    }
    case "pglite": {
      const { PGlite } = await import("@electric-sql/pglite")
      const pglite = new PGlite(config.dataDir)
      return open(new Kysely<any>({ dialect: new PGliteDialect({ pglite }) }), "postgres")
    }
  }
}
