import { Effect } from "effect"
import { type Kysely, type RawBuilder, sql } from "kysely"
import type { ActivityEvent, OutboxEntry } from "../../../domain/activity/activity-event"
import { isNoteEvent, withoutNoteBody } from "../../../domain/activity/without-note-body"
import { erasedValues } from "../../../domain/privacy/erasure"
import type { StorageError } from "../../../domain/shared/errors"
import type { ConversationReach, Slice, StorageRepositories } from "../../../ports/storage"
import * as R from "../rows"
import type { BuildStatement } from "../statement-cache"
import { attempt } from "../storage-errors"
import { before, changed, type Scope } from "./scope"

/** Rows per INSERT of activity events: the statement is cached per row count. */
const activityChunk = 8
/**
 * The columns an appended event fills, in the order its inserts bind them; its position is the
 * database's (a default, or the sequence's). Every column of the row must be listed: a missing one
 * would be left out of every insert, so the object below does not compile without it.
 */
type ActivityColumn = Exclude<keyof ReturnType<typeof R.activityRow>, "position">
const activityColumns = Object.keys({
  tenant_id: true,
  id: true,
  type: true,
  at: true,
  actor_id: true,
  actor_role: true,
  subject_id: true,
  conversation_id: true,
  contact_id: true,
  before_state: true,
  after_state: true,
} satisfies Record<ActivityColumn, true>) as ReadonlyArray<ActivityColumn>
/** The value names of row `i` of a multi-row insert, made once: appending runs on every write. */
const valueNamesOfRow: Array<Readonly<Record<string, string>>> = Array.from({ length: activityChunk }, (_, i) =>
  Object.fromEntries([...activityColumns, "behind"].map((column) => [column, `${i}.${column}`])),
)
const valueNames = (i: number) => valueNamesOfRow[i]!
/** What an erased event's states become. */
const erased = JSON.stringify(erasedValues)
/** A backlog is counted up to this many events: past it, the figure only says "at least". */
const backlogCap = 1_000_000

/**
 * The activity of conversations, contacts and tenants, and the outbox that publishes it. How the
 * outbox keeps its order without a global lock depends on the database (see
 * {@link DialectCapabilities.outboxOrdering} and `docs/events.md`).
 */
export const activityRepository = (s: Scope): StorageRepositories["activity"] => {
  const { t, c } = s
  // Built where used, not here: every unit of work that appends an event builds this group, and
  // only reads of the outbox and erasures need the table reference.
  const activity = () => sql.table(t.activity)

  /**
   * The values of events `from` to `from + size - 1` as one multi-row insert binds them: `${i}.${column}`
   * for the event's row `i` of the statement; where positions are taken from the sequence row,
   * `${i}.behind` is the event's distance from the last event appended (whose position is the
   * sequence's new value).
   */
  const activityValues = (appended: ReadonlyArray<ActivityEvent>, from: number, size: number, positioned: boolean) => {
    const values: Record<string, unknown> = {}
    for (let i = 0; i < size; i++) {
      const row: Record<string, unknown> = R.activityRow(appended[from + i]!, 0)
      const names = valueNames(i)
      for (const column of activityColumns) values[names[column]!] = row[column]
      if (positioned) values[names.behind!] = appended.length - 1 - (from + i)
    }
    return values
  }

  /** The row `i` of a multi-row activity insert, from the values named `${i}.${column}`. */
  const activityRowOf = (v: Record<string, unknown>, i: number, positioned: boolean) => {
    const names = valueNames(i)
    const row: Record<string, unknown> = {}
    for (const column of activityColumns) row[column] = v[names[column]!]
    if (positioned) row.position = sql`(select s.position from ${sql.table(t.outboxSequence)} as s where s.id = 1) - ${v[names.behind!]}`
    return row
  }

  // An event on no conversation stays; one on a conversation stays when the conversation is in reach.
  const inReach = (reach: ConversationReach) =>
    sql<boolean>`(conversation_id is null or exists (select 1 from ${sql.table(t.conversations)} as rc
      where rc.tenant_id = ${sql.ref(`${t.activity}.tenant_id`)} and rc.id = ${sql.ref(`${t.activity}.conversation_id`)}
        and (rc.department_id is null or rc.assignee_id = ${reach.agentId}${
          reach.departmentIds.length === 0 ? sql`` : sql` or rc.department_id in (${sql.join([...reach.departmentIds])})`
        })))`

  const timeline = (where: (b: any) => any, slice: Slice) =>
    attempt(
      (): Promise<Array<R.Row>> =>
        where(s.db.selectFrom(t.activity).selectAll())
          .where(before(sql.ref("at"), sql.ref("id"), slice.after) as never)
          .orderBy("at", "desc")
          .orderBy("id", "desc")
          .limit(slice.limit)
          .execute(),
    ).pipe(Effect.map((rows) => rows.map(R.toActivity)))

  /**
   * The outbox entries of `rows`, without the body of any note deleted by now: the notes are read
   * after the events, so a deletion committed before this read is always seen.
   */
  const entries = (rows: ReadonlyArray<R.Row>) =>
    Effect.gen(function* () {
      const read: Array<OutboxEntry> = rows.map((r) => ({ position: Number(r.position), event: R.toActivity(r) }))
      const notes = new Map<string, { readonly tenantId: string; readonly id: string }>()
      for (const { event } of read)
        if (isNoteEvent(event)) notes.set(`${event.tenantId}\u0000${event.subjectId}`, { tenantId: event.tenantId, id: event.subjectId })
      if (notes.size === 0) return read
      const deleted = yield* attempt(() =>
        s.db
          .selectFrom(t.notes)
          .select(["tenant_id", "id"])
          .where((eb) => eb.or([...notes.values()].map((n) => eb.and([eb("tenant_id", "=", n.tenantId), eb("id", "=", n.id)]))))
          .where("deleted_at", "is not", null)
          .execute(),
      )
      if (deleted.length === 0) return read
      const gone = new Set(deleted.map((r) => `${r.tenant_id}\u0000${r.id}`))
      return read.map((entry) =>
        gone.has(`${entry.event.tenantId}\u0000${entry.event.subjectId}`) ? { ...entry, event: withoutNoteBody(entry.event) } : entry,
      )
    })

  /**
   * Where the outbox order resumes after the event at `afterPosition`: on `transaction-ids`, the
   * (transaction id, position) pair of that event. A position with no event (0, or one taken before
   * the migration) has transaction id 0, the id of every event written before it.
   */
  const after = (afterPosition: number): RawBuilder<unknown> =>
    c.outboxOrdering === "transaction-ids"
      ? sql`(a.xid, a.position) > (coalesce((select b.xid from ${activity()} as b where b.position = ${afterPosition}), 0), ${afterPosition})`
      : sql`a.position > ${afterPosition}`

  /**
   * On `shared-gate`, the highest position no running transaction can still fill: once the gate is
   * held exclusively, every transaction that took a position has ended, and later ones get higher.
   */
  const gateHorizon = Effect.gen(function* () {
    const read = async (trx: Kysely<any>) => {
      await sql`select id from ${sql.table(t.outboxGate)} where id = 1 for update`.execute(trx)
      const { rows } = await sql<{ horizon: number | string | null }>`select max(position) as horizon from ${activity()}`.execute(trx)
      return Number(rows[0]?.horizon ?? 0)
    }
    // Inside a unit of work the lock lasts until its commit; outside, only for this short transaction.
    return yield* attempt(() => (s.db.isTransaction ? read(s.db) : (s.db as Kysely<any>).transaction().setIsolationLevel("read committed").execute(read)))
  })

  const readOutbox = (afterPosition: number, limit: number) =>
    Effect.gen(function* () {
      const size = Math.max(0, Math.trunc(limit))
      switch (c.outboxOrdering) {
        case "transaction-ids": {
          // Every transaction below the snapshot's xmin has ended: nothing can appear behind what is read.
          const { rows } = yield* attempt(() =>
            sql<R.Row>`select a.* from ${activity()} as a
              where a.xid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint and ${after(afterPosition)}
              order by a.xid, a.position limit ${size}`.execute(s.db),
          )
          return yield* entries(rows)
        }
        case "shared-gate": {
          // Nothing committed past the checkpoint: no need to pause the writers for a horizon.
          const { rows: latest } = yield* attempt(() => sql<{ last: number | string | null }>`select max(position) as last from ${activity()}`.execute(s.db))
          if (Number(latest[0]?.last ?? 0) <= afterPosition) return []
          const horizon = yield* gateHorizon
          if (horizon <= afterPosition) return []
          const { rows } = yield* attempt(() =>
            sql<R.Row>`select a.* from ${activity()} as a where ${after(afterPosition)} and a.position <= ${horizon}
              order by a.position limit ${size}`.execute(s.db),
          )
          return yield* entries(rows)
        }
        case "serial-writes": {
          const { rows } = yield* attempt(() =>
            sql<R.Row>`select a.* from ${activity()} as a where ${after(afterPosition)} order by a.position limit ${size}`.execute(s.db),
          )
          return yield* entries(rows)
        }
      }
    })

  /** The values of an erased event: each non-null one becomes `erasedValues`, in one statement. */
  const eraseValues = () => ({
    before_state: sql`case when before_state is null then null else ${erased} end`,
    after_state: sql`case when after_state is null then null else ${erased} end`,
  })

  return {
    append: (appended) => {
      const count = appended.length
      if (count === 0) return Effect.void
      // One effect per statement: once the unit of work is interrupted, none is sent (it would reach
      // the connection after the rollback, and run outside the transaction).
      const statements: Array<Effect.Effect<unknown, StorageError>> = []
      let from = 0
      switch (c.outboxOrdering) {
        case "serial-writes":
          // One writer at a time: the sequence row costs no more than the database's own write lock.
          // No value is bound, so drivers may send it without preparing it.
          statements.push(
            attempt(() =>
              s.run(`${t.outboxSequence}.advance.${count}`, {}, (b) =>
                b
                  .updateTable(t.outboxSequence)
                  .set({ position: sql`position + ${sql.lit(count)}` })
                  .where("id", "=", sql.lit(1)),
              ),
            ),
          )
          break
        case "shared-gate":
          // Shared: writers never wait on each other, only on a reader taking its horizon. The first
          // event's insert reads the gate row locked, so the lock costs no statement of its own, and
          // it is held before any position is taken.
          statements.push(
            attempt(async () => {
              const gated = await s.run(`${t.activity}.insert.gated`, activityValues(appended, 0, 1, false), (b, v) =>
                b
                  .insertInto(t.activity)
                  .columns(activityColumns)
                  .expression(
                    b
                      .selectFrom(t.outboxGate)
                      .select(activityColumns.map((column) => sql`${v[`0.${column}`]}`.as(column)))
                      .where("id", "=", sql.lit(1))
                      .modifyEnd(sql`lock in share mode`),
                  ),
              )
              // The row comes from the gate: without it the event would be dropped, never silently.
              if (changed(gated) !== 1) throw new Error("The outbox gate row is missing: run the migrations")
            }),
          )
          from = 1
          break
        case "transaction-ids":
          // The position and the transaction id are the columns' defaults.
          break
      }
      const positioned = c.outboxOrdering === "serial-writes"
      // One statement alone, with no position to take, may wait for the transaction's next one.
      const later = statements.length === 0 && count <= activityChunk
      for (let k = from; k < count; k += activityChunk) {
        const first = k
        const size = Math.min(activityChunk, count - first)
        const key = `${t.activity}.insert.${positioned ? "positioned" : "defaulted"}.${size}`
        const values = activityValues(appended, first, size, positioned)
        const build: BuildStatement = (b, v) => b.insertInto(t.activity).values(Array.from({ length: size }, (_, i) => activityRowOf(v, i, positioned)))
        statements.push(attempt(() => (later ? s.insertLater(t.activity, key, values, build) : s.run(key, values, build))))
      }
      return statements.length === 1 ? Effect.asVoid(statements[0]!) : Effect.forEach(statements, (statement) => statement, { discard: true })
    },
    listByConversation: (tenantId, conversationId, slice) =>
      timeline((q) => q.where("tenant_id", "=", tenantId).where("conversation_id", "=", conversationId), slice),
    listByContact: (tenantId, contactId, slice, reach) =>
      timeline((q) => {
        const contacts = q.where("tenant_id", "=", tenantId).where("contact_id", "=", contactId)
        return reach === undefined ? contacts : contacts.where(inReach(reach))
      }, slice),
    listByTenant: (tenantId, slice) =>
      timeline((q) => q.where("tenant_id", "=", tenantId).where("conversation_id", "is", null).where("contact_id", "is", null), slice),
    eraseByContact: (tenantId, contactId) =>
      attempt(() =>
        s.db.updateTable(t.activity).set(eraseValues()).where("tenant_id", "=", tenantId).where("contact_id", "=", contactId).executeTakeFirst(),
      ).pipe(Effect.map((result) => Number(result.numUpdatedRows))),
    // Through the contact index: every event about a note carries the note's contact.
    eraseAboutNotes: (tenantId, notes) =>
      notes.length === 0
        ? Effect.succeed(0)
        : attempt(() =>
            s.db
              .updateTable(t.activity)
              .set(eraseValues())
              .where("tenant_id", "=", tenantId)
              .where("contact_id", "in", [...new Set(notes.map((n) => n.contactId))])
              .where(
                "subject_id",
                "in",
                notes.map((n) => n.id),
              )
              .where("type", "like", "note.%")
              .executeTakeFirst(),
          ).pipe(Effect.map((result) => Number(result.numUpdatedRows))),
    purgeBefore: (tenantId, beforeTime, limit) =>
      Effect.gen(function* () {
        const due = yield* attempt(() =>
          s.db
            .selectFrom(t.activity)
            .select("position")
            .where("tenant_id", "=", tenantId)
            .where("at", "<", beforeTime)
            .where("type", "<>", "contact.erased")
            .where((eb) =>
              eb.or([
                eb.and([eb("before_state", "is not", null), eb("before_state", "<>", erased)]),
                eb.and([eb("after_state", "is not", null), eb("after_state", "<>", erased)]),
              ]),
            )
            .orderBy("at")
            .orderBy("position")
            .limit(limit)
            .execute(),
        )
        if (due.length === 0) return 0
        yield* attempt(() =>
          s.db
            .updateTable(t.activity)
            .set(eraseValues())
            .where("tenant_id", "=", tenantId)
            .where(
              "position",
              "in",
              due.map((row) => row.position),
            )
            .execute(),
        )
        return due.length
      }),
    readOutbox,
    outboxBacklog: (afterPosition) =>
      attempt(() =>
        sql<{ events: number | string; oldest: string | null }>`select count(*) as events, min(x.at) as oldest
          from (select a.at from ${activity()} as a where ${after(afterPosition)} limit ${backlogCap}) as x`.execute(s.db),
      ).pipe(Effect.map(({ rows }) => ({ events: Number(rows[0]?.events ?? 0), oldestAt: rows[0]?.oldest ?? null }))),
  }
}
