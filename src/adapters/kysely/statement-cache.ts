import { registerPrepared } from "./prepared-statements"
import {
  type CompiledQuery,
  type Compilable,
  createQueryId,
  type DatabaseConnection,
  type Kysely,
  type QueryResult,
  type RawBuilder,
  RawNode,
  sql,
  type Transaction,
} from "kysely"

/** How a statement is built from its values: a query builder or a `sql` template. */
export type BuildStatement = (builder: Kysely<any>, values: Record<string, any>) => Compilable<unknown> | RawBuilder<unknown>

/** The values of one statement, by name. */
type Values = Readonly<Record<string, unknown>>

interface Template {
  /** The compiled text, sent as is when no plugin needs to see the statement. */
  readonly sql: string
  readonly node: RawNode
  readonly strings: TemplateStringsArray
  /** For each placeholder, the name of the value it binds, or the constant the build put there. */
  readonly slots: ReadonlyArray<{ readonly name: string } | { readonly constant: unknown }>
}

/** A cached statement to send later: its key, its values and how it is built. */
export interface StagedStatement {
  readonly key: string
  readonly values: Values
  readonly build: BuildStatement
}

/** The parameters of a run of `template`: each slot's value, or the constant the build put there. */
const bind = (template: Template, values: Values): Array<unknown> => {
  const { slots } = template
  const parameters: Array<unknown> = new Array(slots.length)
  for (let i = 0; i < slots.length; i++) {
    const slot = slots[i]!
    parameters[i] = "name" in slot ? (values[slot.name] ?? null) : slot.constant
  }
  return parameters
}

const marker = (name: string) => `\u0000rmc:${name}\u0000`
const nameOf = (value: unknown) => (typeof value === "string" && value.startsWith("\u0000rmc:") && value.endsWith("\u0000") ? value.slice(5, -1) : undefined)

/**
 * Statements whose SQL text depends on their shape only, compiled once per store.
 *
 * The first run of a key builds its statement with a marker in place of every value, and keeps
 * the compiled text with the position of each marker; later runs bind their values to that text.
 * Building and compiling a query costs more than a small statement on an embedded database, and a
 * store sends the same few shapes over and over. The database still receives an ordinary
 * parameterized statement through the given Kysely instance or transaction, so logging sees every
 * run; so do plugins, for which each run is rebuilt as a `sql` template (a plugin may transform the
 * statement). Without plugins, a run sends the compiled text with its values to the connection and
 * builds nothing.
 * A `build` binds its values and never branches on them: the key names the shape. The first build
 * is checked: every value passed must be bound by the statement (a value it leaves out means the
 * build chose a shape from it), and none may end up in the SQL text.
 */
export class StatementCache {
  readonly #templates = new Map<string, Template>()
  /** Combined texts of statements sent together (see {@link StatementCache.together}), by their keys. */
  readonly #together = new Map<string, string>()
  /** Compiling only builds SQL text: plugins see the statement when it runs. */
  readonly #builder: Kysely<any>

  constructor(db: Kysely<any>) {
    this.#builder = db.withoutPlugins()
  }

  /**
   * Runs the statement `key` with `values`, building it with `build` the first time. `connection`
   * is the connection that `db` (a transaction) holds, when the caller has it: the statement then
   * goes to it directly.
   */
  run<R = Record<string, unknown>>(
    db: Kysely<any> | Transaction<any>,
    key: string,
    values: Values,
    build: BuildStatement,
    connection?: DatabaseConnection | undefined,
  ): Promise<QueryResult<R>> {
    const template = this.#template(key, values, build)
    const parameters = bind(template, values)
    const executor = db.getExecutor()
    if (executor.plugins.length > 0) return sql<R>(template.strings, ...parameters).execute(db)
    const compiled: CompiledQuery<R> = { sql: template.sql, query: template.node, parameters, queryId: createQueryId() }
    // Straight to the connection: without plugins, the executor's own run would only add promise
    // hops around the same call (the driver's logging still sees the statement).
    if (connection !== undefined) return connection.executeQuery<R>(compiled)
    return executor.provideConnection((held) => held.executeQuery<R>(compiled))
  }

  /**
   * The statements `staged` (inserts, on PostgreSQL) as one: each but the last in a data-modifying
   * `with` query of its own, the last as the main statement, the values numbered on in order (one
   * statement alone is sent as it is). The combined text is kept, and prepared by name, as a
   * statement of its own.
   */
  together(staged: ReadonlyArray<StagedStatement>): CompiledQuery {
    const templates = staged.map(({ key, values, build }) => this.#template(key, values, build))
    const key = staged.map((statement) => statement.key).join("\u0000")
    let text = this.#together.get(key)
    if (text === undefined) {
      let offset = 0
      const texts = templates.map((template) => {
        const numbered = template.strings.map((fragment, i) => (i === 0 ? fragment : `$${offset + i}${fragment}`)).join("")
        offset += template.slots.length
        return numbered
      })
      const last = texts.pop()!
      text = texts.length === 0 ? last : `with ${texts.map((numbered, i) => `rmc_staged_${i + 1} as (${numbered})`).join(", ")} ${last}`
      registerPrepared(text)
      if (this.#together.size >= 256) this.#together.delete(this.#together.keys().next().value!)
      this.#together.set(key, text)
    }
    const parameters = templates.flatMap((template, i) => bind(template, staged[i]!.values))
    return { sql: text, query: RawNode.createWithSql(text), parameters, queryId: createQueryId() }
  }

  #template(key: string, values: Values, build: BuildStatement): Template {
    return this.#templates.get(key) ?? this.#compile(key, values, build)
  }

  #compile(key: string, values: Values, build: BuildStatement): Template {
    const markers = Object.fromEntries(Object.keys(values).map((name) => [name, marker(name)]))
    const query = build(this.#builder, markers)
    const compiled = "isRawBuilder" in query ? query.compile(this.#builder) : query.compile()
    const fragments = compiled.sql.split(/\$\d+|\?/)
    // A `?` or `$1` inside a literal would shift every value after it: refuse rather than bind wrongly.
    if (fragments.length !== compiled.parameters.length + 1) throw new Error(`Statement ${key} has placeholders that are not parameters`)
    const template: Template = {
      sql: compiled.sql,
      node: RawNode.createWithSql(compiled.sql),
      strings: Object.assign([...fragments], { raw: [...fragments] }) as unknown as TemplateStringsArray,
      slots: compiled.parameters.map((value) => {
        const name = nameOf(value)
        return name === undefined ? { constant: value } : { name }
      }),
    }
    // A marker in the text itself (a value put in a literal or an identifier) would be sent as is.
    if (compiled.sql.includes("\u0000rmc:")) throw new Error(`Statement ${key} puts a value in its SQL text instead of binding it`)
    // A value the statement never binds would be silently dropped from every later run of the key:
    // the build branched on it, or the caller passes a value the shape does not use.
    const bound = new Set(template.slots.flatMap((slot) => ("name" in slot ? [slot.name] : [])))
    const unbound = Object.keys(values).filter((name) => !bound.has(name))
    if (unbound.length > 0) throw new Error(`Statement ${key} does not bind the value${unbound.length > 1 ? "s" : ""} ${unbound.join(", ")}`)
    // Keys name shapes, which are few; the bound only guards against a caller that puts values in keys.
    registerPrepared(compiled.sql)
    if (this.#templates.size >= 256) this.#templates.delete(this.#templates.keys().next().value!)
    this.#templates.set(key, template)
    return template
  }
}
