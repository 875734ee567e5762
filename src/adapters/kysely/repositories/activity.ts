import { Effect } from "effect"
import { type Kysely, type RawBuilder, sql } from "kysely"
import type { OutboxEntry } from "../../../domain/activity/activity-event"
import { isNoteEvent, withoutNoteBody } from "../../../domain/activity/without-note-body"
import type { Slice, StorageRepositories } from "../../../ports/storage"
import * as R from "../rows"
import { attempt } from "../storage-errors"
import { before, type Scope } from "./scope"

/** Rows per INSERT of activity events: the statement is cached per row count. */
const activityChunk = 8
/** A backlog is counted up to this many events: past it, the figure only says "at least". */
const backlogCap = 1_000_000

/**
 * The activity of conversations, contacts and tenants, and the outbox that publishes it. How the
 * outbox keeps its order without a global lock depends on the database (see
 * {@link DialectCapabilities.outboxOrdering} and `docs/events.md`).
 */
export const activityRepository = (s: Scope): StorageRepositories["activity"] => {
  const { db, t, c } = s
  const activity = sql.table(t.activity)

  /** The row `i` of a multi-row activity insert, from the values named `${i}.${column}`. */
  const activityValues = (v: Record<string, unknown>, i: number, positioned: boolean) => {
    const prefix = `${i}.`
    const row: Record<string, unknown> = {}
    for (const [name, value] of Object.entries(v)) if (name.startsWith(prefix)) row[name.slice(prefix.length)] = value
    const { behind, ...columns } = row
    return positioned
      ? { ...columns, position: sql`(select s.position from ${sql.table(t.outboxSequence)} as s where s.id = 1) - ${behind}` }
      : columns
  }

  const timeline = (where: (b: any) => any, slice: Slice) =>
    attempt(
      (): Promise<Array<R.Row>> =>
        where(db.selectFrom(t.activity).selectAll())
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
      for (const { event } of read) if (isNoteEvent(event)) notes.set(`${event.tenantId}\u0000${event.subjectId}`, { tenantId: event.tenantId, id: event.subjectId })
      if (notes.size === 0) return read
      const deleted = yield* attempt(() =>
        db
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
      ? sql`(a.xid, a.position) > (coalesce((select b.xid from ${activity} as b where b.position = ${afterPosition}), 0), ${afterPosition})`
      : sql`a.position > ${afterPosition}`

  /**
   * On `shared-gate`, the highest position no running transaction can still fill: once the gate is
   * held exclusively, every transaction that took a position has ended, and later ones get higher.
   */
  const gateHorizon = Effect.gen(function* () {
    const read = async (trx: Kysely<any>) => {
      await sql`select id from ${sql.table(t.outboxGate)} where id = 1 for update`.execute(trx)
      const { rows } = await sql<{ horizon: number | string | null }>`select max(position) as horizon from ${activity}`.execute(trx)
      return Number(rows[0]?.horizon ?? 0)
    }
    // Inside a unit of work the lock lasts until its commit; outside, only for this short transaction.
    return yield* attempt(() => (db.isTransaction ? read(db) : (db as Kysely<any>).transaction().setIsolationLevel("read committed").execute(read)))
  })

  const readOutbox = (afterPosition: number, limit: number) =>
    Effect.gen(function* () {
      const size = Math.max(0, Math.trunc(limit))
      switch (c.outboxOrdering) {
        case "transaction-ids": {
          // Every transaction below the snapshot's xmin has ended: nothing can appear behind what is read.
          const { rows } = yield* attempt(() =>
            sql<R.Row>`select a.* from ${activity} as a
              where a.xid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint and ${after(afterPosition)}
              order by a.xid, a.position limit ${size}`.execute(db),
          )
          return yield* entries(rows)
        }
        case "shared-gate": {
          // Nothing committed past the checkpoint: no need to pause the writers for a horizon.
          const { rows: latest } = yield* attempt(() => sql<{ last: number | string | null }>`select max(position) as last from ${activity}`.execute(db))
          if (Number(latest[0]?.last ?? 0) <= afterPosition) return []
          const horizon = yield* gateHorizon
          if (horizon <= afterPosition) return []
          const { rows } = yield* attempt(() =>
            sql<R.Row>`select a.* from ${activity} as a where ${after(afterPosition)} and a.position <= ${horizon}
              order by a.position limit ${size}`.execute(db),
          )
          return yield* entries(rows)
        }
        case "serial-writes": {
          const { rows } = yield* attempt(() => sql<R.Row>`select a.* from ${activity} as a where ${after(afterPosition)} order by a.position limit ${size}`.execute(db))
          return yield* entries(rows)
        }
      }
    })

  return {
    append: (appended) =>
      appended.length === 0
        ? Effect.void
        : Effect.gen(function* () {
            const count = appended.length
            const positioned = c.outboxOrdering === "serial-writes"
            const chunks = Array.from({ length: Math.ceil(count / activityChunk) }, (_, k) => {
              const values: Record<string, unknown> = {}
              appended.slice(k * activityChunk, (k + 1) * activityChunk).forEach((event, i) => {
                const { position: _, ...row } = R.activityRow(event, 0)
                for (const [column, value] of Object.entries(row)) values[`${i}.${column}`] = value
                // Positions end at the sequence's new value: the event's distance from the last one.
                if (positioned) values[`${i}.behind`] = count - 1 - (k * activityChunk + i)
              })
              return { size: Math.min(activityChunk, count - k * activityChunk), values }
            })
            if (c.outboxOrdering === "serial-writes") {
              // One writer at a time: the sequence row costs no more than the database's own write lock.
              // No value is bound, so drivers may send it without preparing it.
              yield* attempt(() =>
                s.run(`${t.outboxSequence}.advance.${count}`, {}, (b) =>
                  b.updateTable(t.outboxSequence).set({ position: sql`position + ${sql.lit(count)}` }).where("id", "=", sql.lit(1)),
                ),
              )
            } else if (c.outboxOrdering === "shared-gate") {
              // Shared: writers never wait on each other, only on a reader taking its horizon.
              yield* attempt(() => s.run(`${t.outboxGate}.share`, {}, () => sql`select id from ${sql.table(t.outboxGate)} where id = 1 lock in share mode`))
            }
            // transaction-ids: the position and the transaction id are the columns' defaults.
            for (const { size, values } of chunks) {
              yield* attempt(() =>
                s.run(`${t.activity}.insert.${positioned ? "positioned" : "defaulted"}.${size}`, values, (b, v) =>
                  b.insertInto(t.activity).values(Array.from({ length: size }, (_, i) => activityValues(v, i, positioned))),
                ),
              )
            }
          }),
    listByConversation: (tenantId, conversationId, slice) =>
      timeline((q) => q.where("tenant_id", "=", tenantId).where("conversation_id", "=", conversationId), slice),
    listByContact: (tenantId, contactId, slice) => timeline((q) => q.where("tenant_id", "=", tenantId).where("contact_id", "=", contactId), slice),
    listByTenant: (tenantId, slice) =>
      timeline((q) => q.where("tenant_id", "=", tenantId).where("conversation_id", "is", null).where("contact_id", "is", null), slice),
    readOutbox,
    outboxBacklog: (afterPosition) =>
      attempt(() =>
        sql<{ events: number | string; oldest: string | null }>`select count(*) as events, min(x.at) as oldest
          from (select a.at from ${activity} as a where ${after(afterPosition)} limit ${backlogCap}) as x`.execute(db),
      ).pipe(Effect.map(({ rows }) => ({ events: Number(rows[0]?.events ?? 0), oldestAt: rows[0]?.oldest ?? null }))),
  }
}
