import { Effect } from "effect"
import { sql } from "kysely"
import type { StorageRepositories } from "../../../ports/storage"
import * as R from "../rows"
import { attempt } from "../storage-errors"
import { before, type Scope } from "./scope"

/** Internal notes on a conversation or a contact, versioned; deleted ones stay, hidden from lists. */
export const notesRepository = (s: Scope): StorageRepositories["notes"] => {
  const { t } = s
  return {
    get: (tenantId, id) => s.byId(t.notes, tenantId, id).pipe(Effect.map((r) => (r === undefined ? null : R.toNote(r)))),
    insert: (note) => attempt(s.insertRow(t.notes, R.noteRow(note))).pipe(Effect.asVoid),
    update: (note) => {
      const { tenant_id, id, ...values } = R.noteRow(note)
      return s.versionedUpdate(t.notes, "note", tenant_id, id, note.version, values)
    },
    listBySubject: (tenantId, subject, slice, authorId) => {
      const values: Record<string, unknown> = { tenant_id: tenantId, subject_kind: subject.kind, subject_id: subject.id, limit: slice.limit }
      if (slice.after !== undefined) Object.assign(values, { after_at: slice.after.at, after_id: slice.after.id })
      if (authorId !== undefined) values.author_id = authorId
      return attempt(() =>
        s.run(`${t.notes}.bySubject.${slice.after === undefined ? "first" : "after"}${authorId === undefined ? "" : ".author"}`, values, (b, v) =>
          b
            .selectFrom(t.notes)
            .selectAll()
            .where("tenant_id", "=", v.tenant_id)
            .where("subject_kind", "=", v.subject_kind)
            .where("subject_id", "=", v.subject_id)
            .$if(authorId !== undefined, (q) => q.where("author_id", "=", v.author_id))
            .where("deleted_at", "is", null)
            .where(before(sql.ref("created_at"), sql.ref("id"), slice.after && { at: v.after_at, id: v.after_id }) as never)
            .orderBy("created_at", "desc")
            .orderBy("id", "desc")
            .limit(v.limit),
        ),
      ).pipe(Effect.map((result) => result.rows.map(R.toNote)))
    },
  }
}
