import { Layer } from "effect"
import type { Kysely } from "kysely"
import { Storage } from "../../ports/storage"
import { capabilitiesOf, type SqlDialect } from "./dialect"
import { StatementCache } from "./statement-cache"
import { type TableOptions, tableNames } from "./tables"
import { unitOfWork } from "./unit-of-work"

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
  readonly db: Kysely<any>
  readonly dialect: SqlDialect
}

/**
 * The storage port on a SQL database through Kysely: PostgreSQL, PGlite, MySQL/MariaDB or SQLite.
 * Every `transaction` is one database transaction (rolled back on any failure, defect or
 * interruption); optimistic concurrency is a conditional update on the version; unique constraints
 * keep catalog names and idempotency keys unique; every database error surfaces as a
 * {@link StorageError} whose message never carries SQL. Run {@link migrateToLatest} first.
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
