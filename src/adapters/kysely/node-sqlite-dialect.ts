import { DatabaseSync } from "node:sqlite"
import { SqliteDialect, type SqliteStatement } from "kysely"

/**
 * A Kysely dialect on Node's built-in SQLite (`node:sqlite`): the embedded database that needs
 * nothing installed. `path` is a file, or `:memory:`.
 *
 * @example
 * ```ts
 * import { Kysely } from "kysely"
 * import { nodeSqliteDialect } from "rmc-details/kysely"
 * const db = new Kysely<any>({ dialect: nodeSqliteDialect(":memory:") })
 * ```
 */
export const nodeSqliteDialect = (path: string): SqliteDialect => {
  const database = new DatabaseSync(path)
  // Foreign keys are off by default in SQLite; the schema relies on them.
  database.exec("pragma foreign_keys = on; pragma journal_mode = wal; pragma busy_timeout = 5000")
  // Statements are prepared once per SQL text: the store sends the same few shapes over and over.
  const prepared = new Map<string, SqliteStatement>()
  return new SqliteDialect({
    database: {
      close: () => database.close(),
      prepare: (text) => {
        const known = prepared.get(text)
        if (known !== undefined) return known
        const statement = database.prepare(text)
        const wrapped: SqliteStatement = {
          reader: statement.columns().length > 0,
          all: (parameters) => statement.all(...(parameters as Array<never>)),
          run: (parameters) => statement.run(...(parameters as Array<never>)),
          iterate: (parameters) => statement.iterate(...(parameters as Array<never>)),
        }
        if (prepared.size >= 500) prepared.delete(prepared.keys().next().value!)
        prepared.set(text, wrapped)
        return wrapped
      },
    },
  })
}
