import type { CompiledQuery, DatabaseConnection, QueryResult } from "kysely"
import type { BuildStatement, StagedStatement, StatementCache } from "./statement-cache"

/** What a staged insert answers at once: no row read back, none counted. */
const staged: Promise<QueryResult<never>> = Promise.resolve({ rows: [] })

/**
 * Inserts of a PostgreSQL transaction that wait for its next statement, then reach the database
 * together in one statement, as data-modifying `with` queries.
 *
 * A short write is a chain of round trips, and on a busy server each one costs the client and the
 * server more than the statement's own work: adding a note is begin, the contact's lock, the note,
 * its event, commit. The note and its event need no answer (their ids come from the client, no
 * unique index but their keys can refuse them, and nothing reads their result), so they can travel
 * as one statement, and the note costs four round trips instead of five.
 *
 * The transaction's connection sends the held inserts before any other statement, whoever sends
 * it: a repository's cached statement, a query built with Kysely, a savepoint. The unit of work
 * sends the rest before its commit, and drops them when it rolls back. So every statement sees the
 * inserts made before it, a failure of theirs fails the statement that sent them (the transaction is
 * then rolled back whole), and an interrupted unit of work sends nothing more.
 *
 * Two inserts into one table never share a statement: PostgreSQL does not order the sub-statements
 * of one statement, and a table's rows (the outbox's positions above all) keep the order of the
 * inserts. A second insert into a table already held sends the held ones first.
 *
 * @internal
 */
export class WriteBehind {
  readonly #held: Array<StagedStatement & { readonly table: string }> = []
  #detached = false
  readonly #connection: DatabaseConnection
  readonly #statements: StatementCache
  readonly #send: DatabaseConnection["executeQuery"]
  readonly #stream: DatabaseConnection["streamQuery"]
  readonly #own: { readonly executeQuery?: PropertyDescriptor; readonly streamQuery?: PropertyDescriptor }

  private constructor(connection: DatabaseConnection, statements: StatementCache) {
    this.#connection = connection
    this.#statements = statements
    this.#send = connection.executeQuery.bind(connection)
    this.#stream = connection.streamQuery.bind(connection)
    this.#own = {
      executeQuery: Object.getOwnPropertyDescriptor(connection, "executeQuery"),
      streamQuery: Object.getOwnPropertyDescriptor(connection, "streamQuery"),
    }
  }

  /**
   * Holds inserts back on `connection` until `detach`: from now on, every statement sent on it
   * sends the held inserts first. `undefined` when the connection cannot be seen that way (a
   * driver's frozen object): the inserts are then sent one by one, as they come.
   */
  static attach(connection: DatabaseConnection, statements: StatementCache): WriteBehind | undefined {
    if (!Object.isExtensible(connection) || typeof connection.streamQuery !== "function") return undefined
    const writeBehind = new WriteBehind(connection, statements)
    const send = writeBehind.#send
    const stream = writeBehind.#stream
    const held = writeBehind.#held
    // A statement that waited for the held inserts is sent only while the unit of work still runs:
    // one whose fiber was interrupted meanwhile would reach the connection after the rollback, and
    // run outside the transaction.
    const flush = () =>
      writeBehind.flush().then(() => {
        if (writeBehind.#detached) throw new Error("The unit of work ended before this statement could be sent")
      })
    try {
      // The transaction's own statements hold this connection object, not a wrapper: they are seen
      // on it, for the time of the unit of work only (a logging driver may already have put its own here).
      Object.defineProperty(connection, "executeQuery", {
        configurable: true,
        writable: true,
        value: <R>(compiled: CompiledQuery): Promise<QueryResult<R>> => (held.length === 0 ? send<R>(compiled) : flush().then(() => send<R>(compiled))),
      })
      Object.defineProperty(connection, "streamQuery", {
        configurable: true,
        writable: true,
        value: async function* <R>(compiled: CompiledQuery, chunkSize: number): AsyncIterableIterator<QueryResult<R>> {
          await flush()
          yield* stream<R>(compiled, chunkSize)
        },
      })
    } catch {
      writeBehind.detach()
      return undefined
    }
    return writeBehind
  }

  /**
   * Holds the insert `key` into `table` for the next statement, or sends it now (with what is held)
   * when `table` already has one held; either way its result has no rows.
   */
  insert(table: string, key: string, values: Readonly<Record<string, unknown>>, build: BuildStatement): Promise<QueryResult<never>> {
    if (this.#held.some((held) => held.table === table)) return this.flush().then(() => this.insert(table, key, values, build))
    this.#held.push({ table, key, values, build })
    return staged
  }

  /** Sends what is held, in one statement. */
  flush(): Promise<void> {
    if (this.#held.length === 0) return Promise.resolve()
    const held = this.#held.splice(0)
    return this.#send(this.#statements.together(held)).then(() => undefined)
  }

  /** Drops what is still held (the transaction rolls back) and gives the connection back its own methods. */
  detach(): void {
    this.#detached = true
    this.#held.length = 0
    for (const name of ["executeQuery", "streamQuery"] as const) {
      const own = this.#own[name]
      if (own === undefined) delete (this.#connection as Partial<DatabaseConnection>)[name]
      else Object.defineProperty(this.#connection, name, own)
    }
  }
}
