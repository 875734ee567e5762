import { Layer } from "effect"
import type { Kysely } from "kysely"
import type { StorageError } from "../../domain/shared/errors"
import { Storage } from "../../ports/storage"
import { capabilitiesOf, type SqlDialect } from "./dialect"
import { StatementCache } from "./statement-cache"
import { type TableOptions, tableNames } from "./tables"
import { type ConflictRetry, unitOfWork } from "./unit-of-work"

/**
 * How to reach the database: a Kysely instance of any of the supported dialects, with its SQL
 * family, and where the tables are (see {@link migrateToLatest}).
 *
 * @example
 * ```ts
 * import type { KyselyStorageOptions } from "rmc-details/kysely"
 * declare const db: import("kysely").Kysely<any>
 * const options: KyselyStorageOptions = { db, dialect: "postgres", tablePrefix: "details_" }
 * ```
 */
export interface KyselyStorageOptions extends TableOptions {
  /** The database, or a Kysely instance with plugins. */
  readonly db: Kysely<any>
  /** Its SQL family (PGlite is `postgres`). */
  readonly dialect: SqlDialect
  /**
   * The deadline of one unit of work, in milliseconds (default 15,000): a `transaction` from asking
   * for a connection to its commit, retries included, or a `query`. Past it the caller gets a
   * `StorageError` with reason `timeout` at once, the transaction never commits, and its connection is
   * destroyed instead of being awaited (on a guarded pool).
   */
  readonly transactionTimeoutMs?: number | undefined
  /** How transient conflicts are retried (see {@link ConflictRetry}); `{ attempts: 1 }` turns retries off. */
  readonly retry?: ConflictRetry | undefined
}

/**
 * The storage port on a SQL database through Kysely: PostgreSQL, PGlite, MySQL/MariaDB or SQLite.
 * Every `transaction` is one database transaction (rolled back on any failure, defect, interruption
 * or passed deadline), run again as a whole when the database reports a transient conflict (a
 * deadlock, a serialization failure, a lock timeout); optimistic concurrency is a conditional update on the version; unique constraints
 * keep catalog names and idempotency keys unique; every database error surfaces as a
 * {@link StorageError} whose message never carries SQL, with a `reason`. Run {@link migrateToLatest} first.
 *
 * @example
 * ```ts
 * import { makeKyselyStorage } from "rmc-details/kysely"
 * declare const db: import("kysely").Kysely<any>
 * const storage = makeKyselyStorage({ db, dialect: "postgres" })
 * ```
 */
export const makeKyselyStorage = (options: KyselyStorageOptions): Storage["Service"] =>
  Storage.of(unitOfWork({ options, t: tableNames(options), c: capabilitiesOf(options.dialect), statements: new StatementCache(options.db) }))

/**
 * A layer with {@link makeKyselyStorage}.
 *
 * @example
 * ```ts
 * import { createRmc } from "rmc-details"
 * import { kyselyStorage } from "rmc-details/kysely"
 * declare const db: import("kysely").Kysely<any>
 * const rmc = createRmc({ storage: kyselyStorage({ db, dialect: "postgres" }) })
 * ```
 */
export const kyselyStorage = (options: KyselyStorageOptions): Layer.Layer<Storage> => Layer.sync(Storage, () => makeKyselyStorage(options))
