import { Effect } from "effect"
import { type RawBuilder, sql } from "kysely"
import { contactNameKey } from "../../../domain/contact/contact-identity"
import type { MovedRecords } from "../../../domain/merge/contact-merge"
import { erasedMarker } from "../../../domain/privacy/erasure"
import type { ContactRecordCounts, StorageRepositories } from "../../../ports/storage"
import * as R from "../rows"
import { attempt } from "../storage-errors"
import { chunksOf } from "./chunks-of"
import type { Scope } from "./scope"

/** Ids per statement when records move back: within every family's limit of bound parameters. */
const idsPerStatement = 500

/**
 * Merge records, and the moves of a contact's records: one UPDATE per table for a merge, whatever
 * the number of records; an unmerge moves back recorded ids, a bounded list per statement.
 */
export const mergesRepository = (s: Scope): StorageRepositories["merges"] => {
  const { t } = s
  type Kind = keyof MovedRecords
  const tables: { readonly [K in Kind]: string } = { conversations: t.conversations, notes: t.notes, calls: t.calls, activity: t.activity }
  const kinds: ReadonlyArray<Kind> = ["conversations", "notes", "calls", "activity"]

  // What a move sets, per table: the contact, the version of versioned records (so that a write
  // that read the record before the move fails its version check rather than putting it back),
  // and for a note on the contact itself, its subject.
  const moveSet = (kind: Kind, fromId: string, toId: string): Record<string, unknown> => {
    if (kind === "conversations") return { contact_id: toId, version: sql`version + 1` }
    if (kind === "notes")
      return {
        contact_id: toId,
        version: sql`version + 1`,
        subject_id: sql`case when subject_kind = 'contact' and subject_id = ${fromId} then ${toId} else subject_id end`,
      }
    return { contact_id: toId }
  }

  const idsAbout = (kind: Kind, tenantId: string, contactId: string) =>
    attempt(() => s.db.selectFrom(tables[kind]).select("id").where("tenant_id", "=", tenantId).where("contact_id", "=", contactId).execute()).pipe(
      Effect.map((rows) => rows.map((row) => String(row.id))),
    )

  const count = (kind: Kind, tenantId: string, contactId: string) =>
    attempt(() =>
      s.db
        .selectFrom(tables[kind])
        .select((eb) => eb.fn.countAll<number | string | bigint>().as("n"))
        .where("tenant_id", "=", tenantId)
        .where("contact_id", "=", contactId)
        .executeTakeFirst(),
    ).pipe(Effect.map((row) => Number(row?.n ?? 0)))

  return {
    get: (tenantId, id) => s.byId(t.contactMerges, tenantId, id).pipe(Effect.map((r) => (r === undefined ? null : R.toMerge(r)))),
    insert: (merge) => Effect.asVoid(attempt(s.insertRow(t.contactMerges, R.mergeRow(merge)))),
    markUnmerged: (tenantId, id, at, by) =>
      attempt(() =>
        s.db
          .updateTable(t.contactMerges)
          .set({ unmerged_at: at, unmerged_by: by })
          .where("tenant_id", "=", tenantId)
          .where("id", "=", id)
          .where("unmerged_at", "is", null)
          .executeTakeFirst(),
      ).pipe(Effect.map((result) => Number(result.numUpdatedRows) === 1)),
    findOpenInto: (tenantId, primaryId, since) =>
      attempt(() =>
        s.db
          .selectFrom(t.contactMerges)
          .selectAll()
          .where("tenant_id", "=", tenantId)
          .where("primary_id", "=", primaryId)
          .where("merged_at", ">=", since)
          .where("unmerged_at", "is", null)
          .orderBy("merged_at", "desc")
          .limit(1)
          .execute(),
      ).pipe(Effect.map((rows) => (rows[0] === undefined ? null : R.toMerge(rows[0])))),
    eraseByContact: (tenantId, contactId, at) =>
      Effect.gen(function* () {
        yield* attempt(() =>
          s.db
            .deleteFrom(t.contactMerges)
            .where("tenant_id", "=", tenantId)
            .where((eb) => eb.or([eb("primary_id", "=", contactId), eb("secondary_id", "=", contactId)]))
            .execute(),
        )
        const tombstones = yield* attempt(() =>
          s.db.selectFrom(t.contacts).select("id").where("tenant_id", "=", tenantId).where("merged_into", "=", contactId).execute(),
        )
        if (tombstones.length === 0) return []
        // Tombstones hold no identity: only their name is personal data left.
        yield* attempt(() =>
          s.db
            .updateTable(t.contacts)
            .set({ full_name: erasedMarker, normalized_name: contactNameKey(erasedMarker), erased_at: at, version: sql`version + 1` })
            .where("tenant_id", "=", tenantId)
            .where("merged_into", "=", contactId)
            .execute(),
        )
        return tombstones.map((row) => String(row.id))
      }),
    countRecords: (tenantId, contactId) =>
      Effect.all(
        {
          conversations: count("conversations", tenantId, contactId),
          notes: count("notes", tenantId, contactId),
          calls: count("calls", tenantId, contactId),
          activity: count("activity", tenantId, contactId),
        },
        { concurrency: 1 },
      ),
    moveRecords: (tenantId, fromId, toId) =>
      Effect.gen(function* () {
        const moved: Record<Kind, ReadonlyArray<string>> = { conversations: [], notes: [], calls: [], activity: [] }
        for (const kind of kinds) {
          // The writers that add records about the contact wait for the merge's lock on it: nothing
          // comes between the read of the ids and the move.
          moved[kind] = yield* idsAbout(kind, tenantId, fromId)
          if (moved[kind].length === 0) continue
          yield* attempt(() =>
            s.db
              .updateTable(tables[kind])
              .set(moveSet(kind, fromId, toId))
              .where("tenant_id", "=", tenantId)
              .where("contact_id", "=", fromId)
              .execute(),
          )
        }
        return { conversations: [...moved.conversations], notes: [...moved.notes], calls: [...moved.calls], activity: [...moved.activity] }
      }),
    returnRecords: (tenantId, fromId, toId, moved) =>
      Effect.gen(function* () {
        const returned: Record<Kind, number> = { conversations: 0, notes: 0, calls: 0, activity: 0 }
        // Each statement moves the records of `fromId` that `where` picks, out of a bounded list of ids.
        const back = (kind: Kind, ids: ReadonlyArray<string>, where: (ids: ReadonlyArray<string>) => RawBuilder<boolean>) =>
          Effect.gen(function* () {
            for (const chunk of chunksOf(ids, idsPerStatement)) {
              const result = yield* attempt(() =>
                s.db
                  .updateTable(tables[kind])
                  .set(moveSet(kind, fromId, toId))
                  .where("tenant_id", "=", tenantId)
                  .where("contact_id", "=", fromId)
                  .where(where(chunk))
                  .executeTakeFirst(),
              )
              returned[kind] += Number(result.numUpdatedRows)
            }
          })
        const list = (ids: ReadonlyArray<string>) => sql.join(ids.map((id) => sql`${id}`))
        const conversations = moved.conversations
        // Notes, calls and events on a conversation follow it, whenever they were recorded.
        yield* back("notes", conversations, (ids) => sql<boolean>`subject_kind = 'conversation' and subject_id in (${list(ids)})`)
        yield* back("notes", moved.notes, (ids) => sql<boolean>`subject_kind = 'contact' and id in (${list(ids)})`)
        yield* back("calls", conversations, (ids) => sql<boolean>`conversation_id in (${list(ids)})`)
        yield* back("activity", conversations, (ids) => sql<boolean>`conversation_id in (${list(ids)})`)
        yield* back("activity", moved.activity, (ids) => sql<boolean>`conversation_id is null and id in (${list(ids)})`)
        yield* back("conversations", conversations, (ids) => sql<boolean>`id in (${list(ids)})`)
        return returned satisfies ContactRecordCounts
      }),
  }
}
