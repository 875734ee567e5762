import { Effect } from "effect"
import { sql } from "kysely"
import { IdempotencyConflictError } from "../../../domain/shared/errors"
import type { StorageRepositories } from "../../../ports/storage"
import { erasedMarker } from "../../../domain/privacy/erasure"
import * as R from "../rows"
import { attempt, attemptUnique } from "../storage-errors"
import { before, type Scope } from "./scope"

/** Call attempts, found by id, by the caller's idempotency key or by the provider's call id. */
export const callsRepository = (s: Scope): StorageRepositories["calls"] => {
  const { t } = s
  const callBy = (column: "id" | "idempotency_key" | "provider_call_id") => (tenantId: string, value: string) =>
    attempt(() =>
      s.run(`${t.calls}.by.${column}`, { tenant_id: tenantId, [column]: value }, (b, v) =>
        b.selectFrom(t.calls).selectAll().where("tenant_id", "=", v.tenant_id).where(column, "=", v[column]),
      ),
    ).pipe(Effect.map((result) => (result.rows[0] === undefined ? null : R.toCall(result.rows[0]))))
  return {
    get: callBy("id"),
    getLocked: (tenantId, id, mode) => s.byIdLocked(t.calls, tenantId, id, mode).pipe(Effect.map((r) => (r === undefined ? null : R.toCall(r)))),
    findByIdempotencyKey: callBy("idempotency_key"),
    findByProviderCallId: callBy("provider_call_id"),
    insert: (call) =>
      attemptUnique(
        s.insertRow(t.calls, R.callRow(call)),
        () => new IdempotencyConflictError({ message: `Idempotency key ${call.idempotencyKey} is taken`, key: call.idempotencyKey }),
      ).pipe(Effect.asVoid),
    update: (call) => {
      const { tenant_id, id, ...values } = R.callRow(call)
      return attempt(s.updateRow(t.calls, tenant_id, id, values)).pipe(Effect.asVoid)
    },
    listByConversation: (tenantId, conversationId, slice) => {
      const values: Record<string, unknown> = { tenant_id: tenantId, conversation_id: conversationId, limit: slice.limit }
      if (slice.after !== undefined) Object.assign(values, { after_at: slice.after.at, after_id: slice.after.id })
      return attempt(() =>
        s.run(`${t.calls}.byConversation.${slice.after === undefined ? "first" : "after"}`, values, (b, v) =>
          b
            .selectFrom(t.calls)
            .selectAll()
            .where("tenant_id", "=", v.tenant_id)
            .where("conversation_id", "=", v.conversation_id)
            .where(before(sql.ref("created_at"), sql.ref("id"), slice.after && { at: v.after_at, id: v.after_id }) as never)
            .orderBy("created_at", "desc")
            .orderBy("id", "desc")
            .limit(v.limit),
        ),
      ).pipe(Effect.map((result) => result.rows.map(R.toCall)))
    },
    listByContact: (tenantId, contactId, slice) =>
      attempt(() =>
        s.db
          .selectFrom(t.calls)
          .selectAll()
          .where("tenant_id", "=", tenantId)
          .where("contact_id", "=", contactId)
          .where(before(sql.ref("created_at"), sql.ref("id"), slice.after) as never)
          .orderBy("created_at", "desc")
          .orderBy("id", "desc")
          .limit(slice.limit)
          .execute(),
      ).pipe(Effect.map((rows) => rows.map(R.toCall))),
    eraseByContact: (tenantId, contactId) =>
      attempt(() =>
        s.db
          .updateTable(t.calls)
          .set({
            to_number: erasedMarker,
            provider_call_id: null,
            failure_reason: sql`case when failure_reason is null then null else ${erasedMarker} end`,
          })
          .where("tenant_id", "=", tenantId)
          .where("contact_id", "=", contactId)
          .executeTakeFirst(),
      ).pipe(Effect.map((result) => Number(result.numUpdatedRows))),
  }
}
