import { type RawBuilder, sql } from "kysely"
import type { LockMode } from "../../ports/storage"

/**
 * The SQL families the Kysely store speaks. PGlite is PostgreSQL; MariaDB is MySQL.
 *
 * @example
 * ```ts
 * import type { SqlDialect } from "rmc-details/kysely"
 * const dialect: SqlDialect = "sqlite"
 * ```
 */
export type SqlDialect = "postgres" | "mysql" | "sqlite"

/**
 * What differs between the SQL families, in one place: column types, JSON building functions and
 * the "insert unless present" form. The store and the migrations ask this, never the dialect name.
 *
 * @example
 * ```ts
 * import { capabilitiesOf } from "rmc-details/kysely"
 * capabilitiesOf("postgres").insertIgnore // "on-conflict"
 * ```
 */
export interface DialectCapabilities {
  /** The family these capabilities describe, for messages and logs: decisions ask the flags below. */
  readonly dialect: SqlDialect
  /** A short text column compared byte by byte, so ordering and uniqueness match the domain's. */
  text(length: number): RawBuilder<unknown>
  /** A long text column (note bodies, JSON documents). */
  readonly longText: RawBuilder<unknown>
  /** A 64-bit integer column. */
  readonly bigint: RawBuilder<unknown>
  /** How a duplicate insert is skipped: `ON CONFLICT DO NOTHING`, `INSERT IGNORE` or `INSERT OR IGNORE`. */
  readonly insertIgnore: "on-conflict" | "ignore" | "or-ignore"
  /** A JSON object built by the database from `key, value` pairs. */
  jsonObject(pairs: ReadonlyArray<readonly [string, RawBuilder<unknown>]>): RawBuilder<unknown>
  /** The JSON array of the aggregated values (`[]` for no row). */
  jsonArrayAgg(value: RawBuilder<unknown>): RawBuilder<unknown>
  /** A JSON value as text, so that JSON of different shapes fit in one column. */
  jsonText(value: RawBuilder<unknown>): RawBuilder<unknown>
  /**
   * The row of a table or subquery `alias` as JSON text with at least the given columns: the whole
   * row where the database converts rows directly (PostgreSQL plans and runs `row_to_json` faster
   * than an object of many pairs), an object of the columns elsewhere.
   */
  rowJson(alias: string, columns: ReadonlyArray<string>): RawBuilder<unknown>
  /** Table options appended to CREATE TABLE. */
  readonly tableOptions: RawBuilder<unknown> | null
  /**
   * Whether a transaction may ask for an isolation level. SQLite has one writer at a time and no
   * `SET TRANSACTION ISOLATION LEVEL`; the others run every unit of work at `read committed`.
   */
  readonly supportsIsolationLevels: boolean
  /**
   * Whether an `UPDATE ... RETURNING` may feed an `INSERT` in one statement (a data-modifying
   * `WITH`).
   */
  readonly supportsDataModifyingCte: boolean
  /**
   * Whether the database keeps extended planner statistics (`CREATE STATISTICS`) on column pairs.
   * The migration that creates them changes nothing where it does not.
   */
  readonly supportsExtendedStatistics: boolean
  /**
   * Whether tables live in schemas that a connection chooses (`search_path`). Where they do, the
   * migration history is kept in the connection's current schema, beside the tables it describes.
   */
  readonly supportsSchemas: boolean
  /** Whether an index is named within its table (`DROP INDEX name ON table`) rather than within the schema. */
  readonly indexNamedPerTable: boolean
  /**
   * Whether a foreign key's own index gives way to a later index that starts with its columns
   * (MySQL drops it): that later index can then only be dropped once another one takes over.
   */
  readonly foreignKeysAdoptIndexes: boolean
  /**
   * How the outbox orders events without making writers wait on each other (see `docs/events.md`):
   * - `transaction-ids`: each event stores its transaction id (`pg_current_xact_id()`), and readers
   *   see only events of transactions older than the oldest one still running
   *   (`pg_snapshot_xmin(pg_current_snapshot())`), in (transaction id, position) order;
   * - `shared-gate`: writers take a shared lock on one gate row before their events get
   *   auto-increment positions; a reader takes it exclusively for an instant to learn the highest
   *   position that no running transaction can still fill, and reads up to it;
   * - `serial-writes`: the database has one writer at a time, so positions handed out by a sequence
   *   row inside the write transaction are already in commit order.
   */
  readonly outboxOrdering: "transaction-ids" | "shared-gate" | "serial-writes"
  /** The database server's clock in milliseconds since 1970: relay leases expire by one clock. */
  readonly nowMillis: RawBuilder<number>
  /**
   * The clause that ends a locking read (`getLocked`) in each {@link LockMode}: `FOR SHARE` and
   * `FOR UPDATE` on PostgreSQL, `LOCK IN SHARE MODE` and `FOR UPDATE` on MySQL/MariaDB (MariaDB
   * 10.11 has no `FOR SHARE`); `null` where writers already run one at a time (SQLite), so a plain
   * read sees the latest state.
   */
  lockingRead(mode: LockMode): RawBuilder<unknown> | null
}

const pairsSql = (pairs: ReadonlyArray<readonly [string, RawBuilder<unknown>]>) => sql.join(pairs.map(([key, value]) => sql`${sql.lit(key)}, ${value}`))

const columnsJson = (alias: string, columns: ReadonlyArray<string>) =>
  sql`json_object(${pairsSql(columns.map((column) => [column, sql.ref(`${alias}.${column}`)] as const))})`

const capabilities: Record<SqlDialect, DialectCapabilities> = {
  postgres: {
    dialect: "postgres",
    text: (length) => sql`varchar(${sql.raw(String(length))}) collate "C"`,
    longText: sql`text`,
    bigint: sql`bigint`,
    insertIgnore: "on-conflict",
    jsonObject: (pairs) => sql`json_build_object(${pairsSql(pairs)})`,
    jsonArrayAgg: (value) => sql`coalesce(json_agg(${value}), '[]'::json)`,
    jsonText: (value) => sql`(${value})::text`,
    rowJson: (alias) => sql`row_to_json(${sql.ref(alias)})::text`,
    tableOptions: null,
    supportsIsolationLevels: true,
    supportsDataModifyingCte: true,
    supportsExtendedStatistics: true,
    supportsSchemas: true,
    indexNamedPerTable: false,
    foreignKeysAdoptIndexes: false,
    outboxOrdering: "transaction-ids",
    nowMillis: sql<number>`(extract(epoch from clock_timestamp()) * 1000)::bigint`,
    lockingRead: (mode) => (mode === "share" ? sql`for share` : sql`for update`),
  },
  mysql: {
    dialect: "mysql",
    text: (length) => sql`varchar(${sql.raw(String(length))})`,
    longText: sql`mediumtext`,
    bigint: sql`bigint`,
    insertIgnore: "ignore",
    jsonObject: (pairs) => sql`json_object(${pairsSql(pairs)})`,
    jsonArrayAgg: (value) => sql`coalesce(json_arrayagg(${value}), json_array())`,
    jsonText: (value) => value,
    rowJson: (alias, columns) => columnsJson(alias, columns),
    // Binary comparison: tenant "Acme" is not tenant "acme", and ids sort like the domain sorts them.
    tableOptions: sql`character set utf8mb4 collate utf8mb4_bin`,
    supportsIsolationLevels: true,
    supportsDataModifyingCte: false,
    supportsExtendedStatistics: false,
    supportsSchemas: false,
    indexNamedPerTable: true,
    foreignKeysAdoptIndexes: true,
    outboxOrdering: "shared-gate",
    nowMillis: sql<number>`cast(unix_timestamp(now(3)) * 1000 as signed)`,
    lockingRead: (mode) => (mode === "share" ? sql`lock in share mode` : sql`for update`),
  },
  sqlite: {
    dialect: "sqlite",
    text: () => sql`text`,
    longText: sql`text`,
    bigint: sql`integer`,
    insertIgnore: "or-ignore",
    jsonObject: (pairs) => sql`json_object(${pairsSql(pairs)})`,
    jsonArrayAgg: (value) => sql`json_group_array(${value})`,
    jsonText: (value) => value,
    rowJson: (alias, columns) => columnsJson(alias, columns),
    tableOptions: null,
    supportsIsolationLevels: false,
    supportsDataModifyingCte: false,
    supportsExtendedStatistics: false,
    supportsSchemas: false,
    indexNamedPerTable: false,
    foreignKeysAdoptIndexes: false,
    outboxOrdering: "serial-writes",
    nowMillis: sql<number>`cast((julianday('now') - 2440587.5) * 86400000 as integer)`,
    lockingRead: () => null,
  },
}

/**
 * The capabilities of a SQL family.
 *
 * @example
 * ```ts
 * import { capabilitiesOf } from "rmc-details/kysely"
 * capabilitiesOf("mysql").insertIgnore // "ignore"
 * ```
 */
export const capabilitiesOf = (dialect: SqlDialect): DialectCapabilities => capabilities[dialect]
