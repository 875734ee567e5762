import { Effect } from "effect"
import { IdempotencyConflictError, type StorageError } from "../../domain/shared/errors"
import { Storage, type StorageRepositories } from "../../ports/storage"

const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  )

const hashRequest = (operation: string, input: unknown): Effect.Effect<string> =>
  Effect.promise(async () => {
    const bytes = new TextEncoder().encode(`${operation}\n${canonical(input)}`)
    const digest = await crypto.subtle.digest("SHA-256", bytes)
    return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("")
  })

const replay = <A>(
  record: { readonly operation: string; readonly requestHash: string; readonly response: unknown },
  operation: string,
  hash: string,
  key: string,
): Effect.Effect<A, IdempotencyConflictError> =>
  record.operation === operation && record.requestHash === hash
    ? Effect.succeed(record.response as A)
    : Effect.fail(new IdempotencyConflictError({ message: `Idempotency key ${key} was used for another request`, key }))

/**
 * Runs a creation at most once per idempotency key. The first run stores its answer in the same
 * transaction as the records it creates; a retry with the same key and the same request gets that
 * answer back, and a reuse of the key for another request fails with
 * {@link IdempotencyConflictError}. Of two concurrent first runs, one commits; the other's insert
 * of the key fails, and it answers with the committed result.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { idempotentCreation } from "rmc-details"
 * const create = idempotentCreation(
 *   { tenantId: "acme", operation: "createKeyword", key: "key-1", request: { name: "Invoice" }, now: new Date().toISOString() },
 *   () => Effect.succeed({ id: "k-1" }),
 * )
 * ```
 */
export const idempotentCreation = <A, E, R>(
  options: {
    readonly tenantId: string
    readonly operation: string
    readonly key: string | undefined
    readonly request: unknown
    readonly now: string
  },
  create: (repositories: StorageRepositories) => Effect.Effect<A, E, R>,
): Effect.Effect<A, E | StorageError | IdempotencyConflictError, R | Storage> =>
  Effect.gen(function* () {
    const { tenantId, operation, key, request, now } = options
    const storage = yield* Storage
    if (key === undefined) return yield* storage.transaction(create)
    // The request is hashed, not stored: a note body has no business in the idempotency table.
    const hash = yield* hashRequest(operation, request)
    return yield* storage
      .transaction((repositories) =>
        Effect.gen(function* () {
          const existing = yield* repositories.idempotency.find(tenantId, key)
          if (existing !== null) return yield* replay<A>(existing, operation, hash, key)
          const result = yield* create(repositories)
          yield* repositories.idempotency.insert({ tenantId, key, operation, requestHash: hash, response: result, createdAt: now })
          return result
        }),
      )
      .pipe(
        Effect.catch((error): Effect.Effect<A, E | StorageError | IdempotencyConflictError> =>
          error instanceof IdempotencyConflictError
            ? storage.query((repositories) =>
                Effect.flatMap(repositories.idempotency.find(tenantId, key), (existing) =>
                  existing === null ? Effect.fail(error) : replay<A>(existing, operation, hash, key),
                ),
              )
            : Effect.fail(error),
        ),
      )
  })
