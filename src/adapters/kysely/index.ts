/**
 * The storage port on SQL databases through Kysely: PostgreSQL, PGlite, MySQL/MariaDB and SQLite
 * (Node's built-in `node:sqlite`), with its migrations.
 *
 * @example
 * ```ts
 * import { createRmc } from "rmc-details"
 * import { createKyselyDatabase, kyselyStorage, migrateToLatest } from "rmc-details/kysely"
 * const { db, dialect } = await createKyselyDatabase({ dialect: "sqlite", path: "details.sqlite" })
 * await migrateToLatest(db, { dialect })
 * const rmc = createRmc({ storage: kyselyStorage({ db, dialect }) })
 * ```
 *
 * @module rmc-details/kysely
 */
export * from "./dialect"
export * from "./tables"
export * from "./migrations"
export * from "./kysely-storage"
export * from "./node-sqlite-dialect"
export * from "./create-database"
export * from "./postgres-pool"
export * from "./mysql-pool"
export * from "./kysely-relay-store"
export { type ConflictRetry, unitOfWorkDefaults } from "./unit-of-work"
