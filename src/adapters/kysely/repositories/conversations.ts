import { Effect } from "effect"
import { sql } from "kysely"
import type { VolumeRow } from "../../../domain/search/volume-report"
import type { StorageRepositories } from "../../../ports/storage"
import * as R from "../rows"
import { searchConversations } from "../search-query"
import { attempt } from "../storage-errors"
import type { Scope } from "./scope"
import { volumeOrder } from "../../../domain/shared/ordering"

/** Conversations, versioned, with their searches and volume reports. */
export const conversationsRepository = (s: Scope): StorageRepositories["conversations"] => {
  const { t } = s
  const search: StorageRepositories["conversations"]["search"] = (tenantId, filter, slice) => searchConversations(s, tenantId, filter, slice)
  return {
    get: (tenantId, id) => s.byId(t.conversations, tenantId, id).pipe(Effect.map((r) => (r === undefined ? null : R.toConversation(r)))),
    insert: (conversation) => attempt(s.insertRowLater(t.conversations, R.conversationRow(conversation))).pipe(Effect.asVoid),
    update: (conversation) => {
      const { tenant_id, id, ...values } = R.conversationRow(conversation)
      return s.versionedUpdate(t.conversations, "conversation", tenant_id, id, conversation.version, values)
    },
    listByContact: (tenantId, contactId, slice, reach) => search(tenantId, { contactId, reach }, slice),
    search,
    volumes: (tenantId, dimension, from, to, attribute) =>
      attempt(async () => {
        const period = sql`c.tenant_id = ${tenantId} and c.created_at >= ${from} and c.created_at < ${to}`
        const subject = attribute?.target === "contact" ? sql`c.contact_id` : sql`c.id`
        const query =
          dimension === "attribute"
            ? sql<R.Row>`select av.value_text as ${sql.ref("key")}, av.value_text as name, count(*) as count from ${sql.table(t.conversations)} as c
                left join ${sql.table(t.attributeValues)} as av on av.tenant_id = c.tenant_id and av.subject_kind = ${attribute?.target ?? "conversation"}
                  and av.subject_id = ${subject} and av.${sql.ref("key")} = ${attribute?.key ?? ""}
                where ${period} group by av.value_text`
            : dimension === "channel"
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
        const { rows } = await query.execute(s.db)
        return rows
          .map((r): VolumeRow => ({ key: r.key === null ? null : String(r.key), name: r.name === null ? null : String(r.name), count: Number(r.count) }))
          .sort(volumeOrder)
      }),
  }
}
