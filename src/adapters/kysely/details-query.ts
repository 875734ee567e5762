import { type Kysely, type RawBuilder, sql, type Transaction } from "kysely"
import { valuesByKey } from "../../domain/attribute/attribute-definition"
import type { DetailsSnapshot } from "../../domain/details/details-snapshot"
import type { TenantVisibility } from "../../domain/tenant/tenant-settings"
import type { DetailsLimits, DetailsReader } from "../../ports/storage"
import { capabilitiesOf } from "./dialect"
import type { KyselyStorageOptions } from "./kysely-storage"
import * as R from "./rows"
import type { StatementCache } from "./statement-cache"
import { tableNames } from "./tables"
import { nameOrder, newestFirst as newestFirstKey, orderBy } from "../../domain/shared/ordering"

const columns = {
  conversation: [
    "tenant_id",
    "id",
    "contact_id",
    "channel",
    "status",
    "assignee_id",
    "department_id",
    "created_at",
    "last_activity_at",
    "assigned_at",
    "version",
  ],
  contact: [
    "tenant_id",
    "id",
    "full_name",
    "type",
    "primary_phone",
    "phones",
    "email",
    "channel_identities",
    "created_at",
    "last_activity_at",
    "erased_at",
    "version",
  ],
  settings: ["document", "version"],
  department: ["tenant_id", "id", "name", "normalized_name", "created_at", "archived_at"],
  keyword: ["tenant_id", "id", "name", "normalized_name", "created_at", "archived_at", "merged_into_id"],
  label: ["tenant_id", "id", "name", "normalized_name", "color", "description", "created_by", "created_at", "archived_at"],
  note: [
    "tenant_id",
    "id",
    "subject_kind",
    "subject_id",
    "contact_id",
    "body",
    "author_id",
    "created_at",
    "edited_at",
    "deleted_at",
    "deleted_by",
    "revisions",
    "version",
  ],
  chip: ["conversation_id", "id", "name", "color", "normalized_name"],
  attribute: ["key", "value_type", "value_text", "value_number"],
  call: [
    "tenant_id",
    "id",
    "conversation_id",
    "contact_id",
    "to_number",
    "idempotency_key",
    "requested_by",
    "status",
    "provider_call_id",
    "failure_reason",
    "created_at",
    "updated_at",
  ],
} as const

const newestFirst = (at: string) => orderBy(newestFirstKey, (r: R.Row) => ({ at: String(r[at]), id: String(r.id) }))
const byName = orderBy(nameOrder, (r: R.Row) => ({ name: String(r.normalized_name), id: String(r.id) }))

/**
 * Reads the Details panel of a conversation in one statement and one round trip, on every SQL
 * family: a `UNION ALL` of the parts (conversation, contact, settings, department, first page of
 * the contact's notes and of the conversation's, the reading agent's newest note on the
 * conversation, keywords, labels, history page and its labels,
 * recent calls, attribute values of the contact and of the conversation), each row a JSON document built by the database. Its cost grows with the page
 * sizes, never with the contact's whole history.
 */
export const loadDetails = async (
  db: Kysely<any> | Transaction<any>,
  statements: StatementCache,
  options: KyselyStorageOptions,
  tenantId: string,
  conversationId: string,
  limits: DetailsLimits,
  reader: DetailsReader,
): Promise<DetailsSnapshot | null> => {
  const read = async (rules: TenantVisibility) => {
    const values: Record<string, unknown> = { tenantId, conversationId, historyLimit: limits.history, notesLimit: limits.notes, agentId: reader.agentId }
    const open = rules.notes === "all_agents" && rules.history === "all_agents"
    // The reader's departments are bound only where a rule reads the conversations' reach.
    const byReach = rules.notes === "department" || rules.history === "department"
    const departments = byReach ? (reader.departmentIds ?? []) : []
    departments.forEach((id, i) => {
      values[`department.${i}`] = id
    })
    const key = open ? "details" : `details.${rules.notes}.${rules.history}.${departments.length}`
    const { rows } = await statements.run<{ part: string; doc: unknown }>(db, key, values, (_, v) =>
      build(options, v.tenantId as string, v.conversationId as string, v.historyLimit as number, v.notesLimit as number, v.agentId as string, {
        rules,
        departments: departments.map((_, i) => v[`department.${i}`]),
      }),
    )
    return toSnapshot(rows)
  }
  // Supervisors and admins read everything: their statement has no visibility condition.
  if (reader.role !== "agent") return read(noRules)
  // An agent's statement carries the tenant's rules. They are known after the read only (the
  // settings come in the same statement), so the read assumes the rules the tenant had at its
  // last read in this process, and checks them against the settings it returns: in the rare read
  // after the rules changed, it reads again with the new ones.
  const known = knownRules(statements)
  const assumed = known.get(tenantId) ?? noRules
  const snapshot = await read(assumed)
  if (snapshot === null) return null
  const actual = snapshot.settings?.visibility ?? noRules
  if (actual.notes === assumed.notes && actual.history === assumed.history) return snapshot
  if (known.size >= maxKnownTenants) known.clear()
  known.set(tenantId, { notes: actual.notes, history: actual.history })
  return read(actual)
}

const noRules: TenantVisibility = { notes: "all_agents", history: "all_agents" }
const maxKnownTenants = 10_000
const rulesByStore = new WeakMap<StatementCache, Map<string, TenantVisibility>>()
const knownRules = (statements: StatementCache) => {
  const known = rulesByStore.get(statements) ?? new Map<string, TenantVisibility>()
  rulesByStore.set(statements, known)
  return known
}

/**
 * The conditions of an agent's Details read under known visibility rules (see `noteReadScope`,
 * `canReadConversation`): none with the default rules; otherwise the agent's own notes, the
 * conversation's reach and the history's.
 */
const visibility = (
  options: KyselyStorageOptions,
  tenantId: string,
  conversationId: string,
  agentId: string,
  { rules, departments }: { readonly rules: TenantVisibility; readonly departments: ReadonlyArray<unknown> },
) => {
  const t = tableNames(options)
  const reach = (alias: string) =>
    sql`(${sql.ref(`${alias}.department_id`)} is null or ${sql.ref(`${alias}.assignee_id`)} = ${agentId}${
      departments.length === 0 ? sql`` : sql` or ${sql.ref(`${alias}.department_id`)} in (${sql.join(departments)})`
    })`
  const inReach = sql`exists (select 1 from ${sql.table(t.conversations)} as cv where cv.tenant_id = ${tenantId} and cv.id = ${conversationId} and ${reach("cv")})`
  const own = sql`n.author_id = ${agentId}`
  const byDepartment = rules.history === "department"
  const conversationNotes =
    rules.notes === "all_agents"
      ? byDepartment
        ? sql`and ${inReach}`
        : sql``
      : rules.notes === "department"
        ? byDepartment
          ? sql`and ${inReach}`
          : sql`and (${own} or ${inReach})`
        : byDepartment
          ? sql`and ${inReach} and ${own}`
          : sql`and ${own}`
  return {
    contactNotes: rules.notes === "all_agents" ? sql`` : sql`and ${own}`,
    conversationNotes,
    history: byDepartment ? sql`and ${reach("h")}` : sql``,
  }
}

const build = (
  options: KyselyStorageOptions,
  tenantId: string,
  conversationId: string,
  historyLimit: number,
  notesLimit: number,
  agentId: string,
  reader: { readonly rules: TenantVisibility; readonly departments: ReadonlyArray<unknown> },
) => {
  const t = tableNames(options)
  const c = capabilitiesOf(options.dialect)
  const rules =
    reader.rules.notes === "all_agents" && reader.rules.history === "all_agents" ? null : visibility(options, tenantId, conversationId, agentId, reader)
  const contactId = sql`(select cc.contact_id from ${sql.table(t.conversations)} as cc where cc.tenant_id = ${tenantId} and cc.id = ${conversationId})`
  // Only a note since the last assignment counts for the policies: the read never goes further back.
  const since = sql`(select coalesce(cs.assigned_at, cs.created_at) from ${sql.table(t.conversations)} as cs where cs.tenant_id = ${tenantId} and cs.id = ${conversationId})`
  const departmentId = sql`(select cd.department_id from ${sql.table(t.conversations)} as cd where cd.tenant_id = ${tenantId} and cd.id = ${conversationId})`
  const page = (select: RawBuilder<unknown>, join: RawBuilder<unknown> = sql``) =>
    sql`(select ${select} from ${sql.table(t.conversations)} as h ${join}
      where h.tenant_id = ${tenantId} and h.contact_id = ${contactId} ${rules?.history ?? sql``}
      order by h.last_activity_at desc, h.id desc limit ${historyLimit})`
  // The first page of a subject's live notes, newest first: never more rows than the page, whatever the history.
  const notes = (kind: RawBuilder<unknown>, subjectId: RawBuilder<unknown> | string, visible: RawBuilder<unknown> = sql``) =>
    sql`(select n.* from ${sql.table(t.notes)} as n
      where n.tenant_id = ${tenantId} and n.subject_kind = ${kind} and n.subject_id = ${subjectId} and n.deleted_at is null ${visible}
      order by n.created_at desc, n.id desc limit ${notesLimit})`
  const history = page(
    sql`h.*, hd.name as department_name`,
    sql`left join ${sql.table(t.departments)} as hd on hd.tenant_id = h.tenant_id and hd.id = h.department_id`,
  )
  return sql<{ part: string; doc: unknown }>`
    select 'conversation' as part, ${c.rowJson("c", columns.conversation)} as doc
      from ${sql.table(t.conversations)} as c where c.tenant_id = ${tenantId} and c.id = ${conversationId}
    union all select 'contact', ${c.rowJson("k", columns.contact)}
      from ${sql.table(t.contacts)} as k where k.tenant_id = ${tenantId} and k.id = ${contactId}
    union all select 'settings', ${c.rowJson("s", columns.settings)}
      from ${sql.table(t.settings)} as s where s.tenant_id = ${tenantId}
    union all select 'department', ${c.rowJson("d", columns.department)}
      from ${sql.table(t.departments)} as d where d.tenant_id = ${tenantId} and d.id = ${departmentId}
    union all select 'contact_note', ${c.rowJson("cn", columns.note)}
      from ${notes(sql`'contact'`, contactId, rules?.contactNotes)} as cn
    union all select 'conversation_note', ${c.rowJson("vn", columns.note)}
      from ${notes(sql`'conversation'`, conversationId, rules?.conversationNotes)} as vn
    union all select 'viewer_note', ${c.rowJson("an", columns.note)}
      from (select n.* from ${sql.table(t.notes)} as n
        where n.tenant_id = ${tenantId} and n.subject_kind = 'conversation' and n.subject_id = ${conversationId} and n.author_id = ${agentId} and n.deleted_at is null
          and n.created_at >= ${since}
        order by n.created_at desc, n.id desc limit 1) as an
    union all select 'keyword', ${c.rowJson("kw", columns.keyword)}
      from ${sql.table(t.conversationKeywords)} as ck join ${sql.table(t.keywords)} as kw on kw.tenant_id = ck.tenant_id and kw.id = ck.keyword_id
      where ck.tenant_id = ${tenantId} and ck.conversation_id = ${conversationId}
    union all select 'label', ${c.rowJson("l", columns.label)}
      from ${sql.table(t.conversationLabels)} as cl join ${sql.table(t.labels)} as l on l.tenant_id = cl.tenant_id and l.id = cl.label_id
      where cl.tenant_id = ${tenantId} and cl.conversation_id = ${conversationId}
    union all select 'history', ${c.rowJson("hc", [...columns.conversation, "department_name"])}
      from ${history} as hc
    union all select 'chip', ${c.rowJson("hl", columns.chip)}
      from (select hx.conversation_id, l.id, l.name, l.color, l.normalized_name
        from ${sql.table(t.conversationLabels)} as hx join ${sql.table(t.labels)} as l on l.tenant_id = hx.tenant_id and l.id = hx.label_id
        join ${page(sql`h.id`)} as hp on hp.id = hx.conversation_id
        where hx.tenant_id = ${tenantId}) as hl
    union all select 'call', ${c.rowJson("ca", columns.call)}
      from (select x.* from ${sql.table(t.calls)} as x where x.tenant_id = ${tenantId} and x.conversation_id = ${conversationId}
        order by x.created_at desc, x.id desc limit 5) as ca
    union all select 'contact_attribute', ${c.rowJson("ka", columns.attribute)}
      from ${sql.table(t.attributeValues)} as ka where ka.tenant_id = ${tenantId} and ka.subject_kind = 'contact' and ka.subject_id = ${contactId}
    union all select 'conversation_attribute', ${c.rowJson("va", columns.attribute)}
      from ${sql.table(t.attributeValues)} as va where va.tenant_id = ${tenantId} and va.subject_kind = 'conversation' and va.subject_id = ${conversationId}
  `
}

const toSnapshot = (rows: ReadonlyArray<{ part: string; doc: unknown }>): DetailsSnapshot | null => {
  const parts = new Map<string, Array<R.Row>>()
  for (const row of rows) {
    const document = (typeof row.doc === "string" ? JSON.parse(row.doc) : row.doc) as R.Row
    parts.set(row.part, [...(parts.get(row.part) ?? []), document])
  }
  const part = (name: string) => parts.get(name) ?? []
  const conversation = part("conversation")[0]
  const contact = part("contact")[0]
  if (conversation === undefined || contact === undefined) return null
  const chips = new Map<string, Array<R.Row>>()
  for (const chip of part("chip")) {
    const key = String(chip.conversation_id)
    chips.set(key, [...(chips.get(key) ?? []), chip])
  }
  const settings = part("settings")[0]
  const department = part("department")[0]
  const viewerNote = part("viewer_note")[0]
  return {
    settings: settings === undefined ? null : R.toSettings(settings),
    conversation: R.toConversation(conversation),
    contact: R.toContact(contact),
    department: department === undefined ? null : R.toDepartment(department),
    notes: {
      contact: part("contact_note").sort(newestFirst("created_at")).map(R.toNote),
      conversation: part("conversation_note").sort(newestFirst("created_at")).map(R.toNote),
    },
    viewerNote: viewerNote === undefined ? null : R.toNote(viewerNote),
    keywords: part("keyword").sort(byName).map(R.toKeyword),
    labels: part("label").sort(byName).map(R.toLabel),
    history: part("history")
      .sort(newestFirst("last_activity_at"))
      .map((h) =>
        R.toSummary(
          h,
          (chips.get(String(h.id)) ?? []).sort(byName).map((l) => ({ id: String(l.id), name: String(l.name), color: String(l.color) })),
        ),
      ),
    recentCalls: part("call").sort(newestFirst("created_at")).map(R.toCall),
    attributes: {
      contact: valuesByKey(part("contact_attribute").map((r) => ({ key: String(r.key), value: R.toAttributeValue(r) }))),
      conversation: valuesByKey(part("conversation_attribute").map((r) => ({ key: String(r.key), value: R.toAttributeValue(r) }))),
    },
  }
}
