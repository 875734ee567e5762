import { type Cause, type Context, Effect, Exit, Layer, Scheduler } from "effect"
import { type Kysely, type QueryResult, type RawBuilder, sql, type Transaction } from "kysely"
import type { VolumeRow } from "../../domain/search/volume-report"
import {
  type EntityKind,
  IdempotencyConflictError,
  NameTakenError,
  StorageError,
  VersionConflictError,
} from "../../domain/shared/errors"
import type { CursorKey } from "../../domain/shared/page"
import { type Slice, Storage, type StorageRepositories, type StoreConversationFilter } from "../../ports/storage"
import { capabilitiesOf, type SqlDialect } from "./dialect"
import { loadDetails } from "./details-query"
import { LazyGroups } from "./lazy-groups"
import { type BuildStatement, StatementCache } from "./statement-cache"
import * as R from "./rows"
import { type TableOptions, tableNames } from "./tables"

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

const storageError = (cause: unknown) => new StorageError({ message: "The database failed to answer", cause })

const isUniqueViolation = (error: unknown): boolean => {
  const e = error as { code?: unknown; errno?: unknown; message?: unknown }
  return (
    e?.code === "23505" ||
    e?.code === "ER_DUP_ENTRY" ||
    e?.errno === 1062 ||
    (typeof e?.message === "string" && /UNIQUE constraint failed|PRIMARY KEY constraint failed/.test(e.message))
  )
}

/** Runs a query, turning any driver failure into a {@link StorageError} that keeps the cause out of messages. */
const attempt = <A>(query: () => Promise<A>): Effect.Effect<A, StorageError> => Effect.tryPromise({ try: query, catch: storageError })

const attemptUnique = <A, E>(query: () => Promise<A>, onDuplicate: () => E): Effect.Effect<A, StorageError | E> =>
  Effect.tryPromise({ try: query, catch: (cause) => (isUniqueViolation(cause) ? onDuplicate() : storageError(cause)) }) as Effect.Effect<
    A,
    StorageError | E
  >

const changed = (result: QueryResult<unknown>) => Number(result.numAffectedRows ?? 0n)
const first = <A>(result: QueryResult<A>): A | undefined => result.rows[0]

const before = (at: RawBuilder<unknown>, id: RawBuilder<unknown>, after: CursorKey | undefined): RawBuilder<unknown> =>
  after === undefined ? sql`1 = 1` : sql`(${at} < ${after.at} or (${at} = ${after.at} and ${id} < ${after.id}))`

/** Every group of the port, checked by the compiler: a group missing here would be undefined. */
const groups: Record<keyof StorageRepositories, true> = {
  settings: true,
  contacts: true,
  conversations: true,
  departments: true,
  keywords: true,
  labels: true,
  notes: true,
  tagging: true,
  calls: true,
  idempotency: true,
  activity: true,
  details: true,
}
const lazyRepositories = LazyGroups.of<StorageRepositories>(Object.keys(groups) as Array<keyof StorageRepositories>)

/** What every unit of work of a store shares: its options, table names, dialect and statements. */
interface Store {
  readonly options: KyselyStorageOptions
  readonly t: ReturnType<typeof tableNames>
  readonly c: ReturnType<typeof capabilitiesOf>
  readonly statements: StatementCache
}

/** Rows per INSERT of activity events: the statement is cached per row count. */
const activityChunk = 8

const repositories = (db: Kysely<any> | Transaction<any>, store: Store): StorageRepositories => {
  const { options, t, c, statements } = store
  const run = <A = R.Row>(key: string, values: Readonly<Record<string, unknown>>, build: BuildStatement) => statements.run<A>(db, key, values, build)

  /** The row `i` of a multi-row activity insert, from the values named `${i}.${column}`. */
  const activityValues = (v: Record<string, unknown>, i: number) => {
    const prefix = `${i}.`
    const row: Record<string, unknown> = {}
    for (const [name, value] of Object.entries(v)) if (name.startsWith(prefix)) row[name.slice(prefix.length)] = value
    const { behind, ...columns } = row
    return { ...columns, position: sql`(select s.position from ${sql.table(t.outboxSequence)} as s where s.id = 1) - ${behind}` }
  }

  /** PostgreSQL: advances the sequence by `count` and inserts the first `size` events, in one statement. */
  const advanceAndInsert = (v: Record<string, unknown>, size: number, count: number) => {
    const columns = Object.keys(v).filter((name) => name.startsWith("0.") && name !== "0.behind").map((name) => name.slice(2))
    const rows = Array.from(
      { length: size },
      (_, i) => sql`select ${sql.join(columns.map((column) => v[`${i}.${column}`]))}, s.position - ${v[`${i}.behind`]} from s`,
    )
    return sql`with s as (update ${sql.table(t.outboxSequence)} set position = position + ${sql.lit(count)} where id = 1 returning position)
      insert into ${sql.table(t.activity)} (${sql.join(columns.map((column) => sql.ref(column)))}, position)
      ${sql.join(rows, sql` union all `)}`
  }

  const insertIgnore = (builder: Kysely<any>, table: string, values: Record<string, unknown>, conflict: ReadonlyArray<string>) => {
    const insert = builder.insertInto(table).values(values)
    if (c.insertIgnore === "on-conflict") return insert.onConflict((oc) => oc.columns(conflict as Array<string>).doNothing())
    return c.insertIgnore === "ignore" ? insert.ignore() : insert.orIgnore()
  }

  const byId = (table: string) => (tenantId: string, id: string) =>
    attempt(() =>
      run(`${table}.get`, { tenant_id: tenantId, id }, (b, v) => b.selectFrom(table).selectAll().where("tenant_id", "=", v.tenant_id).where("id", "=", v.id)),
    ).pipe(Effect.map(first))

  const insertRow = (table: string, row: Record<string, unknown>) => () => run(`${table}.insert`, row, (b, v) => b.insertInto(table).values(v))

  /** Updates the row `id` from `values`, where `expected` is the version it must still be at. */
  const updateRow = (table: string, tenantId: string, id: string, values: Record<string, unknown>, expected?: number) => () =>
    run(`${table}.update${expected === undefined ? "" : ".versioned"}`, { ...values, tenant_id: tenantId, id, expected }, (b, v) => {
      const { tenant_id, id, expected: version, ...set } = v
      const update = b.updateTable(table).set(set).where("tenant_id", "=", tenant_id).where("id", "=", id)
      return expected === undefined ? update : update.where("version", "=", version)
    })

  const versionedUpdate = (table: string, entity: EntityKind, tenantId: string, id: string, version: number, values: Record<string, unknown>) =>
    Effect.gen(function* () {
      const result = yield* attempt(updateRow(table, tenantId, id, values, version - 1))
      if (changed(result) === 1) return
      const stored = yield* byId(table)(tenantId, id)
      return yield* new VersionConflictError({
        message: `${entity} ${id} is at version ${stored === undefined ? 0 : Number(stored.version)}, not ${version - 1}`,
        entity,
        id,
        expected: version - 1,
        actual: stored === undefined ? 0 : Number(stored.version),
      })
    })

  const catalog = <A extends { readonly tenantId: string; readonly id: string; readonly name: string }>(
    table: string,
    entity: "department" | "keyword" | "label",
    toRow: (a: A) => Record<string, unknown>,
    fromRow: (r: R.Row) => A,
  ) => {
    const taken = (record: A) => () => new NameTakenError({ message: `A ${entity} with the name "${record.name}" already exists`, entity, name: record.name })
    return {
      get: (tenantId: string, id: string) => byId(table)(tenantId, id).pipe(Effect.map((r) => (r === undefined ? null : fromRow(r)))),
      findByName: (tenantId: string, normalizedName: string) =>
        attempt(() =>
          run(`${table}.byName`, { tenant_id: tenantId, normalized_name: normalizedName }, (b, v) =>
            b.selectFrom(table).selectAll().where("tenant_id", "=", v.tenant_id).where("normalized_name", "=", v.normalized_name),
          ),
        ).pipe(Effect.map((result) => (result.rows[0] === undefined ? null : fromRow(result.rows[0])))),
      list: (tenantId: string, includeArchived: boolean) =>
        attempt(() => {
          let query = db.selectFrom(table).selectAll().where("tenant_id", "=", tenantId)
          if (!includeArchived) query = query.where("archived_at", "is", null)
          return query.orderBy("normalized_name").orderBy("id").execute()
        }).pipe(Effect.map((rows) => rows.map(fromRow))),
      insert: (record: A) => attemptUnique(insertRow(table, toRow(record)), taken(record)).pipe(Effect.asVoid),
      update: (record: A) => {
        const { tenant_id, id, ...values } = toRow(record)
        return attemptUnique(updateRow(table, String(tenant_id), String(id), values), taken(record)).pipe(Effect.asVoid)
      },
    }
  }

  const chips = (conversation: RawBuilder<unknown>) =>
    c.jsonText(
      sql`(select ${c.jsonArrayAgg(
        c.jsonObject([
          ["id", sql.ref("l.id")],
          ["name", sql.ref("l.name")],
          ["color", sql.ref("l.color")],
          ["n", sql.ref("l.normalized_name")],
        ]),
      )} from ${sql.table(t.conversationLabels)} as cl join ${sql.table(t.labels)} as l on l.tenant_id = cl.tenant_id and l.id = cl.label_id where cl.tenant_id = c.tenant_id and cl.conversation_id = ${conversation})`,
    )

  const search = (tenantId: string, f: StoreConversationFilter, slice: Slice) => {
    // Cached per shape of the filter: which criteria are set and how many values each one holds.
    const values: Record<string, unknown> = { tenantId, limit: slice.limit, afterAt: slice.after?.at, afterId: slice.after?.id }
    const lists: Record<string, number> = {}
    const list = (name: string, ids: Iterable<string> | undefined) => {
      if (ids === undefined) return
      let count = 0
      for (const id of ids) values[`${name}.${count++}`] = id
      lists[name] = count
    }
    list("keywordsAny", f.keywords?.anyOf)
    list("keywordsAll", f.keywords?.allOf === undefined ? undefined : new Set(f.keywords.allOf))
    list("labelsAny", f.labels?.anyOf)
    list("labelsAll", f.labels?.allOf === undefined ? undefined : new Set(f.labels.allOf))
    list("departments", f.departmentIds)
    list("channels", f.channels)
    list("status", f.status)
    list("contactTypes", f.contactTypes)
    const scalars = { contactId: f.contactId, from: f.from, to: f.to }
    Object.assign(values, scalars)
    const set = Object.entries(scalars).filter(([, value]) => value !== undefined).map(([name]) => name)
    const key = `${t.conversations}.search:${Object.entries(lists).map(([name, count]) => `${name}${count}`).join()}:${set.join()}:${slice.after !== undefined}`
    return attempt(() =>
      run(key, values, (_, v) => {
        const ids = (name: string) => Array.from({ length: lists[name] ?? 0 }, (_, i) => v[`${name}.${i}`])
        // An empty list matches nothing, as an empty IN would if SQL allowed one.
        const anyOf = (values: ReadonlyArray<unknown>, condition: (values: RawBuilder<unknown>) => RawBuilder<unknown>) =>
          values.length === 0 ? sql`1 = 0` : condition(sql.join(values))
        // EXISTS per condition: the planner stops at the first matching tag, and uses the tag primary key.
        const has = (table: string, column: string, tagIds: ReadonlyArray<unknown>) =>
          anyOf(tagIds, (list) => sql`exists (select 1 from ${sql.table(table)} as x where x.tenant_id = c.tenant_id and x.conversation_id = c.id and x.${sql.ref(column)} in (${list}))`)
        const among = (column: string, name: string) => anyOf(ids(name), (list) => sql`c.${sql.ref(column)} in (${list})`)
        const conditions: Array<RawBuilder<unknown>> = [sql`c.tenant_id = ${v.tenantId}`]
        if (lists.keywordsAny !== undefined) conditions.push(has(t.conversationKeywords, "keyword_id", ids("keywordsAny")))
        for (const id of ids("keywordsAll")) conditions.push(has(t.conversationKeywords, "keyword_id", [id]))
        if (lists.labelsAny !== undefined) conditions.push(has(t.conversationLabels, "label_id", ids("labelsAny")))
        for (const id of ids("labelsAll")) conditions.push(has(t.conversationLabels, "label_id", [id]))
        if (lists.departments !== undefined) conditions.push(among("department_id", "departments"))
        if (lists.channels !== undefined) conditions.push(among("channel", "channels"))
        if (lists.status !== undefined) conditions.push(among("status", "status"))
        if (lists.contactTypes !== undefined) {
          conditions.push(
            anyOf(ids("contactTypes"), (list) => sql`exists (select 1 from ${sql.table(t.contacts)} as k where k.tenant_id = c.tenant_id and k.id = c.contact_id and k.type in (${list}))`),
          )
        }
        if (set.includes("contactId")) conditions.push(sql`c.contact_id = ${v.contactId}`)
        if (set.includes("from")) conditions.push(sql`c.created_at >= ${v.from}`)
        if (set.includes("to")) conditions.push(sql`c.created_at < ${v.to}`)
        if (slice.after !== undefined) {
          conditions.push(sql`(c.last_activity_at < ${v.afterAt} or (c.last_activity_at = ${v.afterAt} and c.id < ${v.afterId}))`)
        }
        return sql`select c.*, d.name as department_name, ${chips(sql.ref("c.id"))} as label_chips
          from ${sql.table(t.conversations)} as c
          left join ${sql.table(t.departments)} as d on d.tenant_id = c.tenant_id and d.id = c.department_id
          where ${sql.join(conditions, sql` and `)}
          order by c.last_activity_at desc, c.id desc
          limit ${v.limit}`
      }),
    ).pipe(Effect.map((result) => result.rows.map((r) => R.toSummary(r, R.toChips(r.label_chips)))))
  }

  const events = (column: "conversation_id" | "contact_id", tenantId: string, id: string, slice: Slice) =>
    attempt(() =>
      db
        .selectFrom(t.activity)
        .selectAll()
        .where("tenant_id", "=", tenantId)
        .where(column, "=", id)
        .where(before(sql.ref("at"), sql.ref("id"), slice.after) as never)
        .orderBy("at", "desc")
        .orderBy("id", "desc")
        .limit(slice.limit)
        .execute(),
    ).pipe(Effect.map((rows) => rows.map(R.toActivity)))

  const tagsOf = <A>(table: string, column: string, target: string, fromRow: (r: R.Row) => A) => (tenantId: string, conversationId: string) =>
    attempt(() =>
      run(`${table}.tags`, { tenant_id: tenantId, conversation_id: conversationId }, (b, v) =>
        b
          .selectFrom(`${table} as x`)
          .innerJoin(`${target} as k`, (join) => join.onRef("k.tenant_id", "=", "x.tenant_id").onRef("k.id", "=", `x.${column}`))
          .selectAll("k")
          .where("x.tenant_id", "=", v.tenant_id)
          .where("x.conversation_id", "=", v.conversation_id)
          .orderBy("k.normalized_name")
          .orderBy("k.id"),
      ),
    ).pipe(Effect.map((result) => result.rows.map(fromRow)))

  const untag = (table: string, column: string) => (tenantId: string, conversationId: string, id: string) =>
    attempt(() =>
      run(`${table}.delete`, { tenant_id: tenantId, conversation_id: conversationId, [column]: id }, (b, v) =>
        b.deleteFrom(table).where("tenant_id", "=", v.tenant_id).where("conversation_id", "=", v.conversation_id).where(column, "=", v[column]),
      ),
    ).pipe(Effect.map((result) => changed(result) > 0))

  const tag = (table: string, column: string) => (tenantId: string, conversationId: string, id: string, at: string) =>
    attempt(() =>
      run(`${table}.insert`, { tenant_id: tenantId, conversation_id: conversationId, [column]: id, added_at: at }, (b, v) =>
        insertIgnore(b, table, v, ["tenant_id", "conversation_id", column]),
      ),
    ).pipe(Effect.map((result) => changed(result) > 0))

  const callBy = (column: "id" | "idempotency_key" | "provider_call_id") => (tenantId: string, value: string) =>
    attempt(() =>
      run(`${t.calls}.by.${column}`, { tenant_id: tenantId, [column]: value }, (b, v) =>
        b.selectFrom(t.calls).selectAll().where("tenant_id", "=", v.tenant_id).where(column, "=", v[column]),
      ),
    ).pipe(Effect.map((result) => (result.rows[0] === undefined ? null : R.toCall(result.rows[0]))))

  return lazyRepositories({
    settings: () => ({
      get: (tenantId) =>
        attempt(() =>
          run(`${t.settings}.get`, { tenant_id: tenantId }, (b, v) => b.selectFrom(t.settings).selectAll().where("tenant_id", "=", v.tenant_id)),
        ).pipe(Effect.map((result) => (result.rows[0] === undefined ? null : R.toSettings(result.rows[0])))),
      put: (settings) => {
        const { version, ...document } = settings
        if (version === 1) {
          return attemptUnique(
            () => db.insertInto(t.settings).values({ tenant_id: settings.tenantId, document: JSON.stringify(document), version }).execute(),
            () => new VersionConflictError({ message: `tenant ${settings.tenantId} has settings already`, entity: "tenant", id: settings.tenantId, expected: 0, actual: 1 }),
          ).pipe(Effect.asVoid)
        }
        return Effect.gen(function* () {
          const values = { tenant_id: settings.tenantId, document: JSON.stringify(document), version, expected: version - 1 }
          const result = yield* attempt(() =>
            run(`${t.settings}.update`, values, (b, v) =>
              b.updateTable(t.settings).set({ document: v.document, version: v.version }).where("tenant_id", "=", v.tenant_id).where("version", "=", v.expected),
            ),
          )
          if (changed(result) === 1) return
          const stored = yield* attempt(() => db.selectFrom(t.settings).select("version").where("tenant_id", "=", settings.tenantId).executeTakeFirst())
          const actual = stored === undefined ? 0 : Number(stored.version)
          return yield* new VersionConflictError({ message: `tenant settings are at version ${actual}`, entity: "tenant", id: settings.tenantId, expected: version - 1, actual })
        })
      },
    }),
    contacts: () => ({
      get: (tenantId, id) => byId(t.contacts)(tenantId, id).pipe(Effect.map((r) => (r === undefined ? null : R.toContact(r)))),
      insert: (contact) => attempt(insertRow(t.contacts, R.contactRow(contact))).pipe(Effect.asVoid),
      update: (contact) => {
        const { tenant_id, id, ...values } = R.contactRow(contact)
        return versionedUpdate(t.contacts, "contact", tenant_id, id, contact.version, values)
      },
    }),
    conversations: () => ({
      get: (tenantId, id) => byId(t.conversations)(tenantId, id).pipe(Effect.map((r) => (r === undefined ? null : R.toConversation(r)))),
      insert: (conversation) => attempt(insertRow(t.conversations, R.conversationRow(conversation))).pipe(Effect.asVoid),
      update: (conversation) => {
        const { tenant_id, id, ...values } = R.conversationRow(conversation)
        return versionedUpdate(t.conversations, "conversation", tenant_id, id, conversation.version, values)
      },
      listByContact: (tenantId, contactId, slice) => search(tenantId, { contactId }, slice),
      search,
      volumes: (tenantId, dimension, from, to) =>
        attempt(async () => {
          const period = sql`c.tenant_id = ${tenantId} and c.created_at >= ${from} and c.created_at < ${to}`
          const query =
            dimension === "channel"
              ? sql<R.Row>`select c.channel as ${sql.ref("key")}, c.channel as name, count(*) as count from ${sql.table(t.conversations)} as c where ${period} group by c.channel`
              : dimension === "department"
                ? sql<R.Row>`select c.department_id as ${sql.ref("key")}, d.name as name, count(*) as count from ${sql.table(t.conversations)} as c
                    left join ${sql.table(t.departments)} as d on d.tenant_id = c.tenant_id and d.id = c.department_id
                    where ${period} group by c.department_id, d.name`
                : sql<R.Row>`select k.id as ${sql.ref("key")}, k.name as name, count(*) as count
                    from ${sql.table(dimension === "keyword" ? t.conversationKeywords : t.conversationLabels)} as x
                    join ${sql.table(t.conversations)} as c on c.tenant_id = x.tenant_id and c.id = x.conversation_id
                    join ${sql.table(dimension === "keyword" ? t.keywords : t.labels)} as k on k.tenant_id = x.tenant_id and k.id = x.${sql.ref(dimension === "keyword" ? "keyword_id" : "label_id")}
                    where ${period} group by k.id, k.name`
          const { rows } = await query.execute(db)
          return rows
            .map((r): VolumeRow => ({ key: r.key === null ? null : String(r.key), name: r.name === null ? null : String(r.name), count: Number(r.count) }))
            .sort((a, b) => (a.count !== b.count ? b.count - a.count : a.key === b.key ? 0 : a.key === null ? 1 : b.key === null ? -1 : a.key < b.key ? -1 : 1))
        }),
    }),
    departments: () => catalog(t.departments, "department", R.departmentRow, R.toDepartment),
    keywords: () => catalog(t.keywords, "keyword", R.keywordRow, R.toKeyword),
    labels: () => catalog(t.labels, "label", R.labelRow, R.toLabel),
    notes: () => ({
      get: (tenantId, id) => byId(t.notes)(tenantId, id).pipe(Effect.map((r) => (r === undefined ? null : R.toNote(r)))),
      insert: (note) => attempt(insertRow(t.notes, R.noteRow(note))).pipe(Effect.asVoid),
      update: (note) => {
        const { tenant_id, id, ...values } = R.noteRow(note)
        return versionedUpdate(t.notes, "note", tenant_id, id, note.version, values)
      },
      listBySubject: (tenantId, subject) =>
        attempt(() =>
          run(`${t.notes}.bySubject`, { tenant_id: tenantId, subject_kind: subject.kind, subject_id: subject.id }, (b, v) =>
            b
              .selectFrom(t.notes)
              .selectAll()
              .where("tenant_id", "=", v.tenant_id)
              .where("subject_kind", "=", v.subject_kind)
              .where("subject_id", "=", v.subject_id)
              .where("deleted_at", "is", null)
              .orderBy("created_at", "desc")
              .orderBy("id", "desc"),
          ),
        ).pipe(Effect.map((result) => result.rows.map(R.toNote))),
    }),
    tagging: () => ({
      attachKeyword: tag(t.conversationKeywords, "keyword_id"),
      detachKeyword: untag(t.conversationKeywords, "keyword_id"),
      keywordsOf: tagsOf(t.conversationKeywords, "keyword_id", t.keywords, R.toKeyword),
      moveKeyword: (tenantId, fromId, toId, at) =>
        Effect.gen(function* () {
          const rows = yield* attempt(() =>
            db.selectFrom(t.conversationKeywords).select("conversation_id").where("tenant_id", "=", tenantId).where("keyword_id", "=", fromId).execute(),
          )
          for (const row of rows) yield* tag(t.conversationKeywords, "keyword_id")(tenantId, String(row.conversation_id), toId, at)
          yield* attempt(() => db.deleteFrom(t.conversationKeywords).where("tenant_id", "=", tenantId).where("keyword_id", "=", fromId).execute())
          return rows.length
        }),
      applyLabel: tag(t.conversationLabels, "label_id"),
      removeLabel: untag(t.conversationLabels, "label_id"),
      labelsOf: tagsOf(t.conversationLabels, "label_id", t.labels, R.toLabel),
    }),
    calls: () => ({
      get: callBy("id"),
      findByIdempotencyKey: callBy("idempotency_key"),
      findByProviderCallId: callBy("provider_call_id"),
      insert: (call) =>
        attemptUnique(
          insertRow(t.calls, R.callRow(call)),
          () => new IdempotencyConflictError({ message: `Idempotency key ${call.idempotencyKey} is taken`, key: call.idempotencyKey }),
        ).pipe(Effect.asVoid),
      update: (call) => {
        const { tenant_id, id, ...values } = R.callRow(call)
        return attempt(updateRow(t.calls, tenant_id, id, values)).pipe(Effect.asVoid)
      },
      listByConversation: (tenantId, conversationId, limit) =>
        attempt(() =>
          run(`${t.calls}.byConversation`, { tenant_id: tenantId, conversation_id: conversationId, limit }, (b, v) =>
            b
              .selectFrom(t.calls)
              .selectAll()
              .where("tenant_id", "=", v.tenant_id)
              .where("conversation_id", "=", v.conversation_id)
              .orderBy("created_at", "desc")
              .orderBy("id", "desc")
              .limit(v.limit),
          ),
        ).pipe(Effect.map((result) => result.rows.map(R.toCall))),
    }),
    idempotency: () => ({
      find: (tenantId, key) =>
        attempt(() => db.selectFrom(t.idempotency).selectAll().where("tenant_id", "=", tenantId).where("idempotency_key", "=", key).executeTakeFirst()).pipe(
          Effect.map((r) =>
            r === undefined
              ? null
              : {
                  tenantId: String(r.tenant_id),
                  key: String(r.idempotency_key),
                  operation: String(r.operation),
                  requestHash: String(r.request_hash),
                  response: JSON.parse(String(r.response)) as unknown,
                  createdAt: String(r.created_at),
                },
          ),
        ),
      insert: (record) =>
        attemptUnique(
          () =>
            db
              .insertInto(t.idempotency)
              .values({
                tenant_id: record.tenantId,
                idempotency_key: record.key,
                operation: record.operation,
                request_hash: record.requestHash,
                response: JSON.stringify(record.response),
                created_at: record.createdAt,
              })
              .execute(),
          () => new IdempotencyConflictError({ message: `Idempotency key ${record.key} is taken`, key: record.key }),
        ).pipe(Effect.asVoid),
    }),
    activity: () => ({
      append: (appended) =>
        appended.length === 0
          ? Effect.void
          : Effect.gen(function* () {
              const count = appended.length
              const chunks = Array.from({ length: Math.ceil(count / activityChunk) }, (_, k) => {
                const values: Record<string, unknown> = {}
                appended.slice(k * activityChunk, (k + 1) * activityChunk).forEach((event, i) => {
                  const { position: _, ...row } = R.activityRow(event, 0)
                  for (const [column, value] of Object.entries(row)) values[`${i}.${column}`] = value
                  // Positions end at the sequence's new value: the event's distance from the last one.
                  values[`${i}.behind`] = count - 1 - (k * activityChunk + i)
                })
                return { size: Math.min(activityChunk, count - k * activityChunk), values }
              })
              // The sequence row stays locked until commit, so positions are published in commit order.
              if (c.dialect === "postgres") {
                // One round trip: the sequence advances in a data-modifying CTE of the first insert.
                const [head] = chunks
                yield* attempt(() => run(`${t.activity}.append.${count}`, head!.values, (_, v) => advanceAndInsert(v, head!.size, count)))
              } else {
                // No value is bound, so drivers may send it without preparing it.
                yield* attempt(() =>
                  run(`${t.outboxSequence}.advance.${count}`, {}, (b) =>
                    b.updateTable(t.outboxSequence).set({ position: sql`position + ${sql.lit(count)}` }).where("id", "=", sql.lit(1)),
                  ),
                )
              }
              for (const { size, values } of c.dialect === "postgres" ? chunks.slice(1) : chunks) {
                yield* attempt(() =>
                  run(`${t.activity}.insert.${size}`, values, (b, v) => b.insertInto(t.activity).values(Array.from({ length: size }, (_, i) => activityValues(v, i)))),
                )
              }
            }),
      listByConversation: (tenantId, conversationId, slice) => events("conversation_id", tenantId, conversationId, slice),
      listByContact: (tenantId, contactId, slice) => events("contact_id", tenantId, contactId, slice),
      readOutbox: (afterPosition, limit) =>
        attempt(() => db.selectFrom(t.activity).selectAll().where("position", ">", afterPosition).orderBy("position").limit(limit).execute()).pipe(
          Effect.map((rows) => rows.map((r) => ({ position: Number(r.position), event: R.toActivity(r) }))),
        ),
    }),
    details: () => ({
      load: (tenantId, conversationId, historyLimit) => attempt(() => loadDetails(db, statements, options, tenantId, conversationId, historyLimit)),
    }),
  })
}

/** Thrown inside a database transaction to roll it back, carrying the unit of work's own failure. */
class RolledBack {
  constructor(readonly cause: Cause.Cause<unknown>) {}
}

/**
 * Database work resumes on the microtask queue as soon as the driver answers, instead of waiting
 * for a turn of the event loop: a unit of work is a short chain of round trips with little CPU
 * between them, and each extra turn would add latency to every statement.
 */
const promptly = new Scheduler.MixedScheduler("sync")
const onDriverTime = <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.provideService(effect, Scheduler.Scheduler, promptly)

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
export const makeKyselyStorage = (options: KyselyStorageOptions): Storage["Service"] => {
  const store: Store = { options, t: tableNames(options), c: capabilitiesOf(options.dialect), statements: new StatementCache(options.db) }
  // Reads outside a transaction share one set of repositories; a transaction gets its own.
  const outside = repositories(options.db, store)
  return Storage.of({
    transaction: <A, E, R>(work: (repositories: StorageRepositories) => Effect.Effect<A, E, R>) =>
      onDriverTime(
        Effect.contextWith((context: Context.Context<R>) =>
          Effect.callback<A, E | StorageError, R>((resume, signal) => {
            const settings = options.db.transaction()
            // Kysely's callback transaction: it commits when the callback returns, and rolls back when it
            // throws (a failure, a defect or an interruption of the unit of work) or when the commit fails.
            const done = (options.dialect === "sqlite" ? settings : settings.setIsolationLevel("read committed"))
              .execute(async (trx) => {
                const exit = await Effect.runPromiseExitWith(context)(work(repositories(trx, store)), { signal })
                if (Exit.isFailure(exit)) throw new RolledBack(exit.cause)
                return exit.value
              })
              .then(
                (value) => resume(Effect.succeed(value)),
                (error: unknown) => resume(error instanceof RolledBack ? Effect.failCause(error.cause as Cause.Cause<E>) : Effect.fail(storageError(error))),
              )
            // An interrupted unit of work completes once the database has rolled it back.
            return Effect.promise(() => done)
          }),
        ),
      ),
    query: (work) => onDriverTime(work(outside)),
  })
}

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
