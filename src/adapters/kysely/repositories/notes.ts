import { Effect } from "effect"
import { sql } from "kysely"
import type { Slice, StorageRepositories } from "../../../ports/storage"
import * as R from "../rows"
import { erasedMarker, erasedNote } from "../../../domain/privacy/erasure"
import type { Note } from "../../../domain/note/note"
import { attempt } from "../storage-errors"
import { before, type Scope } from "./scope"
import { chunksOf } from "./chunks-of"

/** Notes whose revisions one statement erases: three values bound per note, well within every driver's limit. */
const revisionsPerStatement = 200

/** Internal notes on a conversation or a contact, versioned; deleted ones stay, hidden from lists. */
export const notesRepository = (s: Scope): StorageRepositories["notes"] => {
  const { t } = s
  /**
   * Writes the earlier bodies of erased notes: only notes that were edited have any, so the bodies
   * themselves are erased by one statement and the revisions by one statement per chunk of notes,
   * each note's erased revisions chosen by its id.
   */
  const eraseRevisions = (tenantId: string, rows: ReadonlyArray<{ readonly id: unknown; readonly revisions: unknown }>) => {
    const edited = rows
      .filter((row) => String(row.revisions) !== "[]")
      .map((row) => ({
        id: String(row.id),
        revisions: JSON.stringify(erasedNote({ revisions: JSON.parse(String(row.revisions)) as Note["revisions"] } as Note).revisions),
      }))
    return Effect.forEach(
      chunksOf(edited, revisionsPerStatement),
      (chunk) =>
        attempt(() =>
          s.db
            .updateTable(t.notes)
            .set({
              revisions: sql`case ${sql.join(
                chunk.map((note) => sql`when id = ${note.id} then ${note.revisions}`),
                sql` `,
              )} end`,
            })
            .where("tenant_id", "=", tenantId)
            .where(
              "id",
              "in",
              chunk.map((note) => note.id),
            )
            .execute(),
        ),
      { discard: true },
    )
  }
  const page = (where: (q: any) => any, slice: Slice) =>
    attempt(
      (): Promise<Array<R.Row>> =>
        where(s.db.selectFrom(t.notes).selectAll())
          .where(before(sql.ref("created_at"), sql.ref("id"), slice.after) as never)
          .orderBy("created_at", "desc")
          .orderBy("id", "desc")
          .limit(slice.limit)
          .execute(),
    ).pipe(Effect.map((rows) => rows.map(R.toNote)))
  return {
    get: (tenantId, id) => s.byId(t.notes, tenantId, id).pipe(Effect.map((r) => (r === undefined ? null : R.toNote(r)))),
    insert: (note) => attempt(s.insertRowLater(t.notes, R.noteRow(note))).pipe(Effect.asVoid),
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
    listByContact: (tenantId, contactId, slice) => page((q) => q.where("tenant_id", "=", tenantId).where("contact_id", "=", contactId), slice),
    eraseByContact: (tenantId, contactId) =>
      Effect.gen(function* () {
        const erased = yield* attempt(() =>
          s.db
            .updateTable(t.notes)
            .set({ body: erasedMarker, version: sql`version + 1` })
            .where("tenant_id", "=", tenantId)
            .where("contact_id", "=", contactId)
            .executeTakeFirst(),
        )
        const edited = yield* attempt(() =>
          s.db
            .selectFrom(t.notes)
            .select(["id", "revisions"])
            .where("tenant_id", "=", tenantId)
            .where("contact_id", "=", contactId)
            .where("revisions", "<>", "[]")
            .execute(),
        )
        yield* eraseRevisions(tenantId, edited)
        return Number(erased.numUpdatedRows)
      }),
    purgeBefore: (tenantId, beforeTime, limit) =>
      Effect.gen(function* () {
        const due = yield* attempt(() =>
          s.db
            .selectFrom(t.notes)
            .select(["id", "contact_id", "revisions"])
            .where("tenant_id", "=", tenantId)
            .where("created_at", "<", beforeTime)
            .where("body", "<>", erasedMarker)
            .orderBy("created_at")
            .orderBy("id")
            .limit(limit)
            .execute(),
        )
        if (due.length === 0) return []
        yield* attempt(() =>
          s.db
            .updateTable(t.notes)
            .set({ body: erasedMarker, version: sql`version + 1` })
            .where("tenant_id", "=", tenantId)
            .where(
              "id",
              "in",
              due.map((row) => String(row.id)),
            )
            .execute(),
        )
        yield* eraseRevisions(tenantId, due)
        return due.map((row) => ({ id: String(row.id), contactId: String(row.contact_id) }))
      }),
  }
}
