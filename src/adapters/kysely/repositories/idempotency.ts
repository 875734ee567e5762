import { Effect } from "effect"
import { IdempotencyConflictError } from "../../../domain/shared/errors"
import type { StorageRepositories } from "../../../ports/storage"
import { attempt, attemptUnique } from "../storage-errors"
import type { Scope } from "./scope"

/** The stored answers of idempotent creations, one per tenant and key. */
export const idempotencyRepository = (s: Scope): StorageRepositories["idempotency"] => {
  const { t } = s
  return {
    find: (tenantId, key) =>
      attempt(() => s.db.selectFrom(t.idempotency).selectAll().where("tenant_id", "=", tenantId).where("idempotency_key", "=", key).executeTakeFirst()).pipe(
        Effect.map((r) =>
          r === undefined
            ? null
            : {
                tenantId: String(r.tenant_id),
                key: String(r.idempotency_key),
                operation: String(r.operation),
                requestHash: String(r.request_hash),
                response: JSON.parse(String(r.response)) as unknown,
                createdAt: String(r.created_at),
              },
        ),
      ),
    insert: (record) =>
      attemptUnique(
        () =>
          s.db
            .insertInto(t.idempotency)
            .values({
              tenant_id: record.tenantId,
              idempotency_key: record.key,
              operation: record.operation,
              request_hash: record.requestHash,
              response: JSON.stringify(record.response),
              created_at: record.createdAt,
            })
            .execute(),
        () => new IdempotencyConflictError({ message: `Idempotency key ${record.key} is taken`, key: record.key }),
      ).pipe(Effect.asVoid),
  }
}
