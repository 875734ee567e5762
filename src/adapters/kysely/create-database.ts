import { Kysely, PGliteDialect, PostgresDialect, MysqlDialect } from "kysely"
import type { SqlDialect } from "./dialect"
import { nodeSqliteDialect } from "./node-sqlite-dialect"

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
  | { readonly dialect: "postgres"; readonly url: string; readonly maxConnections?: number | undefined }
  | { readonly dialect: "mysql"; readonly url: string; readonly maxConnections?: number | undefined }
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
 * when used; SQLite is built into Node.
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
      // Counts and sequences are 64-bit: read them as numbers, not strings.
      pg.types.setTypeParser(20, (value) => Number(value))
      const pool = new pg.Pool({ connectionString: config.url, max: config.maxConnections ?? 10 })
      return open(new Kysely<any>({ dialect: new PostgresDialect({ pool }) }), "postgres")
    }
    case "mysql": {
      const { createPool } = await import("mysql2")
      const pool = createPool({ uri: config.url, connectionLimit: config.maxConnections ?? 10, timezone: "Z", supportBigNumbers: true, bigNumberStrings: false })
      return open(new Kysely<any>({ dialect: new MysqlDialect({ pool }) }), "mysql")
    }
    case "pglite": {
      const { PGlite } = await import("@electric-sql/pglite")
      const pglite = new PGlite(config.dataDir)
      return open(new Kysely<any>({ dialect: new PGliteDialect({ pglite }) }), "postgres")
    }
  }
}
