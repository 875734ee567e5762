import { Effect } from "effect"
import { type RawBuilder, sql } from "kysely"
import type { ConversationSummary } from "../../domain/conversation/conversation"
import type { StorageError } from "../../domain/shared/errors"
import type { Slice, StoreConversationFilter } from "../../ports/storage"
import type { Scope } from "./repositories/scope"
import * as R from "./rows"
import { attempt } from "./storage-errors"

/** The label chips of a conversation as one JSON text: id, name, colour and the name to sort by. */
const chips = (s: Scope, conversation: RawBuilder<unknown>) =>
  s.c.jsonText(
    sql`(select ${s.c.jsonArrayAgg(
      s.c.jsonObject([
        ["id", sql.ref("l.id")],
        ["name", sql.ref("l.name")],
        ["color", sql.ref("l.color")],
        ["n", sql.ref("l.normalized_name")],
      ]),
    )} from ${sql.table(s.t.conversationLabels)} as cl join ${sql.table(s.t.labels)} as l on l.tenant_id = cl.tenant_id and l.id = cl.label_id where cl.tenant_id = c.tenant_id and cl.conversation_id = ${conversation})`,
  )

/**
 * The tenant's conversations that match every criterion of a filter, newest activity first, one
 * page at a time, with their department name and label chips, in one statement.
 *
 * The statement is cached per shape of the filter: which criteria are set and how many values each
 * list holds. Each criterion is its own `EXISTS` or `IN`, so the planner stops at the first matching
 * tag and uses the tag tables' primary keys.
 */
export const searchConversations = (
  s: Scope,
  tenantId: string,
  f: StoreConversationFilter,
  slice: Slice,
): Effect.Effect<ReadonlyArray<ConversationSummary>, StorageError> => {
  const { t } = s
  const values: Record<string, unknown> = { tenantId, limit: slice.limit }
  if (slice.after !== undefined) Object.assign(values, { afterAt: slice.after.at, afterId: slice.after.id })
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
  list("reach", f.reach?.departmentIds)
  const scalars = { contactId: f.contactId, from: f.from, to: f.to, reachAgent: f.reach?.agentId }
  const set: Array<string> = []
  for (const [name, value] of Object.entries(scalars)) {
    if (value === undefined) continue
    values[name] = value
    set.push(name)
  }
  // Each attribute criterion's shape goes into the statement's key; its key and values are parameters.
  const attributeShapes = (f.attributes ?? []).map((condition, i) => {
    const { match } = condition
    values[`attr${i}.key`] = condition.key
    values[`attr${i}.kind`] = condition.target
    if (match.kind === "in") {
      match.texts.forEach((text, j) => {
        values[`attr${i}.${j}`] = text
      })
      return `${condition.target}.in${match.texts.length}`
    }
    if (match.kind === "exists") return `${condition.target}.${match.exists ? "exists" : "absent"}`
    if (match.min !== undefined) values[`attr${i}.min`] = match.min
    if (match.max !== undefined) values[`attr${i}.max`] = match.max
    return `${condition.target}.${match.on}${match.min === undefined ? "" : ".min"}${match.max === undefined ? "" : ".max"}`
  })
  const key = `${t.conversations}.search:${Object.entries(lists)
    .map(([name, count]) => `${name}${count}`)
    .join()}:${set.join()}:${attributeShapes.join()}:${slice.after !== undefined}`
  return attempt(() =>
    s.run(key, values, (_, v) => {
      const ids = (name: string) => Array.from({ length: lists[name] ?? 0 }, (_, i) => v[`${name}.${i}`])
      // An empty list matches nothing, as an empty IN would if SQL allowed one.
      const anyOf = (values: ReadonlyArray<unknown>, condition: (values: RawBuilder<unknown>) => RawBuilder<unknown>) =>
        values.length === 0 ? sql`1 = 0` : condition(sql.join(values))
      const has = (table: string, column: string, tagIds: ReadonlyArray<unknown>) =>
        anyOf(
          tagIds,
          (list) =>
            sql`exists (select 1 from ${sql.table(table)} as x where x.tenant_id = c.tenant_id and x.conversation_id = c.id and x.${sql.ref(column)} in (${list}))`,
        )
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
          anyOf(
            ids("contactTypes"),
            (list) => sql`exists (select 1 from ${sql.table(t.contacts)} as k where k.tenant_id = c.tenant_id and k.id = c.contact_id and k.type in (${list}))`,
          ),
        )
      }
      for (const [i, condition] of (f.attributes ?? []).entries()) {
        const { match } = condition
        const subject = condition.target === "contact" ? sql`c.contact_id` : sql`c.id`
        const value = (test: RawBuilder<unknown>) =>
          sql`exists (select 1 from ${sql.table(t.attributeValues)} as av where av.tenant_id = c.tenant_id and av.subject_kind = ${v[`attr${i}.kind`]} and av.subject_id = ${subject} and av.${sql.ref("key")} = ${v[`attr${i}.key`]}${test})`
        if (match.kind === "exists") conditions.push(match.exists ? value(sql``) : sql`not ${value(sql``)}`)
        else if (match.kind === "in") {
          conditions.push(value(sql` and av.value_text in (${sql.join(match.texts.map((_, j) => v[`attr${i}.${j}`]))})`))
        } else {
          const column = sql.ref(match.on === "number" ? "av.value_number" : "av.value_text")
          const bounds = [
            ...(match.min === undefined ? [] : [sql` and ${column} >= ${v[`attr${i}.min`]}`]),
            ...(match.max === undefined ? [] : [sql` and ${column} <= ${v[`attr${i}.max`]}`]),
          ]
          const numeric = match.on === "number" ? sql` and av.value_number is not null` : sql``
          conditions.push(value(bounds.length === 0 ? numeric : sql`${numeric}${sql.join(bounds, sql``)}`))
        }
      }
      if (set.includes("contactId")) conditions.push(sql`c.contact_id = ${v.contactId}`)
      if (set.includes("reachAgent")) {
        const departments = ids("reach")
        conditions.push(
          sql`(c.department_id is null or c.assignee_id = ${v.reachAgent}${departments.length === 0 ? sql`` : sql` or c.department_id in (${sql.join(departments)})`})`,
        )
      }
      if (set.includes("from")) conditions.push(sql`c.created_at >= ${v.from}`)
      if (set.includes("to")) conditions.push(sql`c.created_at < ${v.to}`)
      if (slice.after !== undefined) {
        conditions.push(sql`(c.last_activity_at < ${v.afterAt} or (c.last_activity_at = ${v.afterAt} and c.id < ${v.afterId}))`)
      }
      return sql`select c.*, d.name as department_name, ${chips(s, sql.ref("c.id"))} as label_chips
        from ${sql.table(t.conversations)} as c
        left join ${sql.table(t.departments)} as d on d.tenant_id = c.tenant_id and d.id = c.department_id
        where ${sql.join(conditions, sql` and `)}
        order by c.last_activity_at desc, c.id desc
        limit ${v.limit}`
    }),
  ).pipe(Effect.map((result) => result.rows.map((r) => R.toSummary(r, R.toChips(r.label_chips)))))
}
