import { Effect } from "effect"
import { sql } from "kysely"
import type { Slice, StorageRepositories } from "../../../ports/storage"
import * as R from "../rows"
import { attempt } from "../storage-errors"
import { before, type Scope } from "./scope"

/** Rows per INSERT of activity events: the statement is cached per row count. */
const activityChunk = 8

/**
 * The activity of conversations and contacts, and the outbox that publishes it: every event gets a
 * position from the outbox sequence, in commit order.
 */
export const activityRepository = (s: Scope): StorageRepositories["activity"] => {
  const { db, t, c } = s

  /** The row `i` of a multi-row activity insert, from the values named `${i}.${column}`. */
  const activityValues = (v: Record<string, unknown>, i: number) => {
    const prefix = `${i}.`
    const row: Record<string, unknown> = {}
    for (const [name, value] of Object.entries(v)) if (name.startsWith(prefix)) row[name.slice(prefix.length)] = value
    const { behind, ...columns } = row
    return { ...columns, position: sql`(select s.position from ${sql.table(t.outboxSequence)} as s where s.id = 1) - ${behind}` }
  }

  /** Advances the sequence by `count` and inserts the first `size` events, in one statement. */
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

  return {
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
            if (c.supportsDataModifyingCte) {
              // One round trip: the sequence advances in a data-modifying CTE of the first insert.
              const [head] = chunks
              yield* attempt(() => s.run(`${t.activity}.append.${count}`, head!.values, (_, v) => advanceAndInsert(v, head!.size, count)))
            } else {
              // No value is bound, so drivers may send it without preparing it.
              yield* attempt(() =>
                s.run(`${t.outboxSequence}.advance.${count}`, {}, (b) =>
                  b.updateTable(t.outboxSequence).set({ position: sql`position + ${sql.lit(count)}` }).where("id", "=", sql.lit(1)),
                ),
              )
            }
            for (const { size, values } of c.supportsDataModifyingCte ? chunks.slice(1) : chunks) {
              yield* attempt(() =>
                s.run(`${t.activity}.insert.${size}`, values, (b, v) => b.insertInto(t.activity).values(Array.from({ length: size }, (_, i) => activityValues(v, i)))),
              )
            }
          }),
    listByConversation: (tenantId, conversationId, slice) => events("conversation_id", tenantId, conversationId, slice),
    listByContact: (tenantId, contactId, slice) => events("contact_id", tenantId, contactId, slice),
    readOutbox: (afterPosition, limit) =>
      attempt(() => db.selectFrom(t.activity).selectAll().where("position", ">", afterPosition).orderBy("position").limit(limit).execute()).pipe(
        Effect.map((rows) => rows.map((r) => ({ position: Number(r.position), event: R.toActivity(r) }))),
      ),
  }
}
