import { Effect } from "effect"
import { type DatabaseConnection, type Kysely, type QueryResult, type RawBuilder, sql, type Transaction } from "kysely"
import { type EntityKind, type StorageError, VersionConflictError } from "../../../domain/shared/errors"
import type { CursorKey } from "../../../domain/shared/page"
import type { LockMode } from "../../../ports/storage"
import type { DialectCapabilities } from "../dialect"
import type { KyselyStorageOptions } from "../kysely-storage"
import type * as R from "../rows"
import type { BuildStatement, StatementCache } from "../statement-cache"
import { attempt } from "../storage-errors"
import type { WriteBehind } from "../write-behind"
import type { TableNames } from "../tables"

/** What every unit of work of a store shares: its options, table names, dialect and statements. */
export interface Store {
  readonly options: KyselyStorageOptions
  readonly t: TableNames
  readonly c: DialectCapabilities
  readonly statements: StatementCache
}

/** The rows a statement changed. */
export const changed = (result: QueryResult<unknown>): number => Number(result.numAffectedRows ?? 0n)

/** The first row of a result. */
export const first = <A>(result: QueryResult<A>): A | undefined => result.rows[0]

/** `text` as a LIKE pattern that matches it literally, with "!" as the escape character. */
export const escapeLike = (text: string) => text.replace(/[!%_]/g, (c) => `!${c}`)

/** Rows strictly older than the cursor, newest first by `at` then `id`. */
export const before = (at: RawBuilder<unknown>, id: RawBuilder<unknown>, after: CursorKey | undefined): RawBuilder<unknown> =>
  after === undefined ? sql`1 = 1` : sql`(${at} < ${after.at} or (${at} = ${after.at} and ${id} < ${after.id}))`

/**
 * Where the repositories of one unit of work run: the transaction (or the database itself outside
 * one) and the store's shared parts, with the statements every group uses.
 */
export class Scope {
  readonly t: TableNames
  readonly c: DialectCapabilities
  #db: Kysely<any> | Transaction<any>
  #writeBehind: WriteBehind | undefined
  constructor(
    db: Kysely<any> | Transaction<any>,
    readonly store: Store,
    readonly connection?: DatabaseConnection | undefined,
    writeBehind?: WriteBehind | undefined,
  ) {
    this.t = store.t
    this.c = store.c
    this.#db = db
    this.#writeBehind = writeBehind
  }

  /** The transaction (or the database outside one) the statements run on. */
  get db(): Kysely<any> | Transaction<any> {
    return this.#db
  }

  /** Where the transaction holds its inserts back, when it does (see {@link WriteBehind}). */
  get writeBehind(): WriteBehind | undefined {
    return this.#writeBehind
  }

  /**
   * Points this scope, and so the repositories built on it, at the next transaction on its
   * connection: a connection serves one transaction at a time.
   */
  enter(db: Transaction<any>, writeBehind: WriteBehind | undefined): void {
    this.#db = db
    this.#writeBehind = writeBehind
  }

  /** Runs the cached statement `key` (see {@link StatementCache}). */
  run<A = R.Row>(key: string, values: Readonly<Record<string, unknown>>, build: BuildStatement): Promise<QueryResult<A>> {
    return this.store.statements.run<A>(this.db, key, values, build, this.connection)
  }

  /** The tenant's row `id` of `table`. */
  byId(table: string, tenantId: string, id: string): Effect.Effect<R.Row | undefined, StorageError> {
    return attempt(() =>
      this.run(`${table}.get`, { tenant_id: tenantId, id }, (b, v) =>
        b.selectFrom(table).selectAll().where("tenant_id", "=", v.tenant_id).where("id", "=", v.id),
      ),
    ).pipe(Effect.map(first))
  }

  /** The tenant's row `id` of `table`, locked until the transaction ends (see {@link DialectCapabilities.lockingRead}). */
  byIdLocked(table: string, tenantId: string, id: string, mode: LockMode): Effect.Effect<R.Row | undefined, StorageError> {
    const clause = this.c.lockingRead(mode)
    if (clause === null) return this.byId(table, tenantId, id)
    return attempt(() =>
      this.run(`${table}.get.${mode}`, { tenant_id: tenantId, id }, (b, v) =>
        b.selectFrom(table).selectAll().where("tenant_id", "=", v.tenant_id).where("id", "=", v.id).modifyEnd(clause),
      ),
    ).pipe(Effect.map(first))
  }

  /** Inserts `row` into `table`. */
  insertRow(table: string, row: Record<string, unknown>) {
    return () => this.run(`${table}.insert`, row, (b, v) => b.insertInto(table).values(v))
  }

  /**
   * Inserts `row` into `table`, a row whose insert nobody reads back and no unique index but its
   * key can refuse: in a transaction that holds inserts back (see {@link WriteBehind}), it goes to
   * the database with the transaction's next statement.
   */
  insertRowLater(table: string, row: Record<string, unknown>) {
    return () => this.insertLater(table, `${table}.insert`, row, (b, v) => b.insertInto(table).values(v))
  }

  /** Runs the cached insert `key` into `table` now, or holds it for the next statement (see {@link Scope.insertRowLater}). */
  insertLater(table: string, key: string, values: Readonly<Record<string, unknown>>, build: BuildStatement): Promise<QueryResult<unknown>> {
    return this.writeBehind === undefined ? this.run(key, values, build) : this.writeBehind.insert(table, key, values, build)
  }

  /** Updates the row `id` from `values`, where `expected` (when given) is the version it must still be at. */
  updateRow(table: string, tenantId: string, id: string, values: Record<string, unknown>, expected?: number) {
    if (expected === undefined) {
      return () =>
        this.run(`${table}.update`, { ...values, tenant_id: tenantId, id }, (b, v) => {
          const { tenant_id, id, ...set } = v
          return b.updateTable(table).set(set).where("tenant_id", "=", tenant_id).where("id", "=", id)
        })
    }
    return () =>
      this.run(`${table}.update.versioned`, { ...values, tenant_id: tenantId, id, expected }, (b, v) => {
        const { tenant_id, id, expected: version, ...set } = v
        return b.updateTable(table).set(set).where("tenant_id", "=", tenant_id).where("id", "=", id).where("version", "=", version)
      })
  }

  /** Stores `values` if the row is still at `version - 1`; fails with a {@link VersionConflictError} otherwise. */
  versionedUpdate(table: string, entity: EntityKind, tenantId: string, id: string, version: number, values: Record<string, unknown>) {
    const scope = this
    return Effect.gen(function* () {
      const result = yield* attempt(scope.updateRow(table, tenantId, id, values, version - 1))
      if (changed(result) === 1) return
      const stored = yield* scope.byId(table, tenantId, id)
      return yield* new VersionConflictError({
        message: `${entity} ${id} is at version ${stored === undefined ? 0 : Number(stored.version)}, not ${version - 1}`,
        entity,
        id,
        expected: version - 1,
        actual: stored === undefined ? 0 : Number(stored.version),
      })
    })
  }

  /** An insert that skips a row whose `conflict` columns are taken, in the dialect's form. */
  insertIgnore(builder: Kysely<any>, table: string, values: Record<string, unknown>, conflict: ReadonlyArray<string>) {
    const insert = builder.insertInto(table).values(values)
    if (this.c.insertIgnore === "on-conflict") return insert.onConflict((oc) => oc.columns(conflict as Array<string>).doNothing())
    return this.c.insertIgnore === "ignore" ? insert.ignore() : insert.orIgnore()
  }
}
