import { Effect } from "effect"
import type { StorageRepositories } from "../../../ports/storage"
import * as R from "../rows"
import { attempt } from "../storage-errors"
import { changed, type Scope } from "./scope"

/** Keywords and labels on conversations: attaching twice or removing what is not there changes nothing. */
export const taggingRepository = (s: Scope): StorageRepositories["tagging"] => {
  const { t } = s

  const tagsOf =
    <A>(table: string, column: string, target: string, fromRow: (r: R.Row) => A) =>
    (tenantId: string, conversationId: string) =>
      attempt(() =>
        s.run(`${table}.tags`, { tenant_id: tenantId, conversation_id: conversationId }, (b, v) =>
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
      s.run(`${table}.delete`, { tenant_id: tenantId, conversation_id: conversationId, [column]: id }, (b, v) =>
        b.deleteFrom(table).where("tenant_id", "=", v.tenant_id).where("conversation_id", "=", v.conversation_id).where(column, "=", v[column]),
      ),
    ).pipe(Effect.map((result) => changed(result) > 0))

  const tag = (table: string, column: string) => (tenantId: string, conversationId: string, id: string, at: string) =>
    attempt(() =>
      s.run(`${table}.insert`, { tenant_id: tenantId, conversation_id: conversationId, [column]: id, added_at: at }, (b, v) =>
        s.insertIgnore(b, table, v, ["tenant_id", "conversation_id", column]),
      ),
    ).pipe(Effect.map((result) => changed(result) > 0))

  return {
    attachKeyword: tag(t.conversationKeywords, "keyword_id"),
    detachKeyword: untag(t.conversationKeywords, "keyword_id"),
    keywordsOf: tagsOf(t.conversationKeywords, "keyword_id", t.keywords, R.toKeyword),
    moveKeyword: (tenantId, fromId, toId, at) =>
      Effect.gen(function* () {
        const rows = yield* attempt(() =>
          s.db.selectFrom(t.conversationKeywords).select("conversation_id").where("tenant_id", "=", tenantId).where("keyword_id", "=", fromId).execute(),
        )
        for (const row of rows) yield* tag(t.conversationKeywords, "keyword_id")(tenantId, String(row.conversation_id), toId, at)
        yield* attempt(() => s.db.deleteFrom(t.conversationKeywords).where("tenant_id", "=", tenantId).where("keyword_id", "=", fromId).execute())
        return rows.length
      }),
    applyLabel: tag(t.conversationLabels, "label_id"),
    removeLabel: untag(t.conversationLabels, "label_id"),
    labelsOf: tagsOf(t.conversationLabels, "label_id", t.labels, R.toLabel),
  }
}
