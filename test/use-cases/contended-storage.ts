import { Effect } from "effect"
import { VersionConflictError } from "../../src/domain/shared/errors"
import { Storage, type StorageRepositories } from "../../src/ports/storage"

/**
 * A store whose versioned updates of contacts and conversations lose the race `times` times in a
 * row, as when another agent wrote the same record between a command's read and its write: the
 * update fails with the store's own `VersionConflictError` and the unit of work rolls back.
 */
export const contendedStorage = (inner: Storage["Service"], times: { contacts?: number; conversations?: number }) => {
  const left = { contacts: times.contacts ?? 0, conversations: times.conversations ?? 0 }
  const failed = { contacts: 0, conversations: 0 }
  const lose = (entity: "contacts" | "conversations", record: { id: string; version: number }) =>
    Effect.suspend(() => {
      if (left[entity] <= 0) return Effect.void
      left[entity]--
      failed[entity]++
      return Effect.fail(
        new VersionConflictError({
          message: `${entity} ${record.id} moved on`,
          entity: entity === "contacts" ? "contact" : "conversation",
          id: record.id,
          expected: record.version - 1,
          actual: record.version,
        }),
      )
    })
  const wrap = (r: StorageRepositories): StorageRepositories => ({
    ...r,
    contacts: { ...r.contacts, update: (c, previous) => Effect.andThen(lose("contacts", c), r.contacts.update(c, previous)) },
    conversations: { ...r.conversations, update: (c) => Effect.andThen(lose("conversations", c), r.conversations.update(c)) },
  })
  const storage = Storage.of({
    transaction: (work) => inner.transaction((r) => work(wrap(r))),
    query: (work) => inner.query(work),
  })
  return { storage, failed }
}
