import { Effect } from "effect"
import { type EntityKind, IdempotencyConflictError, NotFoundError, type StorageError } from "../../domain/shared/errors"
import { type IdempotencyRecord, Storage, type StorageRepositories } from "../../ports/storage"

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

const sameRequest = (
  record: { readonly operation: string; readonly requestHash: string },
  operation: string,
  hash: string,
  key: string,
): Effect.Effect<void, IdempotencyConflictError> =>
  record.operation === operation && record.requestHash === hash
    ? Effect.void
    : Effect.fail(new IdempotencyConflictError({ message: `Idempotency key ${key} was used for another request`, key }))

/** The id of the record a stored answer refers to (a `{ id }` reference, or a whole record stored by an earlier version). */
const referencedId = (response: unknown): string | undefined => {
  const id = typeof response === "object" && response !== null && Object.hasOwn(response, "id") ? (response as { id: unknown }).id : undefined
  return typeof id === "string" ? id : undefined
}

/**
 * Runs a creation at most once per idempotency key. The first run stores, in the same transaction
 * as the records it creates, a reference to the record it created; a retry with the same key and
 * the same request answers that record, and a reuse of the key for another request fails with
 * {@link IdempotencyConflictError}.
 *
 * Concurrent retries: of several first runs at once, one commits; the others fail on whatever
 * they hit first (the key, a unique name, a version, a deadlock...), find the committed key and
 * answer like a retry. So every retry gets the first answer.
 *
 * A replay answers the record as `reread` finds it now, as a read would: it never brings back what
 * a later change hid (a note deleted since answers {@link NotFoundError}), and the answer of a
 * creation is never stored whole (a note body has no business in the idempotency table).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { idempotentCreation } from "rmc-details"
 * const create = idempotentCreation(
 *   {
 *     tenantId: "acme", operation: "createKeyword", key: "key-1", request: { name: "Invoice" }, now: new Date().toISOString(),
 *     entity: "keyword", reread: (r, id) => r.keywords.get("acme", id),
 *   },
 *   () => Effect.succeed({ id: "k-1" }),
 * )
 * ```
 */
export const idempotentCreation = <A extends { readonly id: string }, E, R>(
  options: {
    readonly tenantId: string
    readonly operation: string
    readonly key: string | undefined
    readonly request: unknown
    readonly now: string
    /** What the created record is, for the `not_found` of a replay whose record is gone. */
    readonly entity: EntityKind
    /** Reads the created record as the caller may see it now; `null` when it is gone or hidden. */
    readonly reread: (repositories: StorageRepositories, id: string) => Effect.Effect<A | null, StorageError>
  },
  create: (repositories: StorageRepositories) => Effect.Effect<A, E, R>,
): Effect.Effect<A, E | StorageError | IdempotencyConflictError | NotFoundError, R | Storage> =>
  Storage.use((storage) => {
    const { key } = options
    return key === undefined ? storage.transaction(create) : keyedCreation(storage, { ...options, key }, create)
  })

/** A creation under an idempotency key: its answer is stored, and a retry replays it. */
const keyedCreation = <A extends { readonly id: string }, E, R>(
  storage: Storage["Service"],
  options: Parameters<typeof idempotentCreation<A, E, R>>[0] & { readonly key: string },
  create: (repositories: StorageRepositories) => Effect.Effect<A, E, R>,
): Effect.Effect<A, E | StorageError | IdempotencyConflictError | NotFoundError, R> =>
  Effect.gen(function* () {
    const { tenantId, operation, key, request, now, entity, reread } = options
    // The request is hashed, not stored: a note body has no business in the idempotency table.
    const hash = yield* hashRequest(operation, request)
    const replay = (r: StorageRepositories, record: IdempotencyRecord) =>
      Effect.gen(function* () {
        yield* sameRequest(record, operation, hash, key)
        const id = referencedId(record.response)
        const found = id === undefined ? null : yield* reread(r, id)
        if (found === null) return yield* new NotFoundError({ message: `${entity} ${id ?? "?"} not found`, entity, id: id ?? "" })
        return found
      })
    return yield* storage
      .transaction((repositories) =>
        Effect.gen(function* () {
          const existing = yield* repositories.idempotency.find(tenantId, key)
          if (existing !== null) return yield* replay(repositories, existing)
          const result = yield* create(repositories)
          yield* repositories.idempotency.insert({ tenantId, key, operation, requestHash: hash, response: { id: result.id }, createdAt: now })
          return result
        }),
      )
      .pipe(
        // A failed first run may have lost to a concurrent one: if the key is there now, answer like a retry.
        Effect.catch((error) =>
          storage.query((repositories) =>
            Effect.flatMap(repositories.idempotency.find(tenantId, key), (existing) =>
              existing === null ? Effect.fail(error) : replay(repositories, existing),
            ),
          ),
        ),
      )
  })
