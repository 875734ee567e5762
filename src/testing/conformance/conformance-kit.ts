import { Effect } from "effect"
import fc from "fast-check"
import type { Conversation } from "../../domain/conversation/conversation"
import type { StorageError } from "../../domain/shared/errors"
import type { CursorKey } from "../../domain/shared/page"
import type { Slice, Storage, StorageRepositories } from "../../ports/storage"
import * as A from "../arbitraries/entities"

// What every storage sub-suite needs: short ways to run units of work, fresh tenants and fixed times.

export const one = <T>(arbitrary: fc.Arbitrary<T>): T => fc.sample(arbitrary, 1)[0]!
export const run = <A, E>(effect: Effect.Effect<A, E>): Promise<A> => Effect.runPromise(effect)
export const failure = <A, E>(effect: Effect.Effect<A, E>): Promise<E> => Effect.runPromise(Effect.flip(effect))
export const newTenant = (): string => `t-${crypto.randomUUID().slice(0, 18)}`
export const at = (minute: number): string => new Date(Date.UTC(2026, 2, 1, 9, minute)).toISOString()

/** Every page of a list read newest first, `size` rows at a time, one page after the other. */
export const allPages = <A, E>(
  read: (slice: Slice) => Effect.Effect<ReadonlyArray<A>, E>,
  keyOf: (row: A) => CursorKey,
  size: number,
): Effect.Effect<Array<A>, E> =>
  Effect.gen(function* () {
    const rows: Array<A> = []
    let after: CursorKey | undefined
    for (;;) {
      const page = yield* read({ limit: size, after })
      rows.push(...page)
      const last = page.at(-1)
      if (page.length < size || last === undefined) return rows
      after = keyOf(last)
    }
  })

type Work<A, E> = (r: StorageRepositories) => Effect.Effect<A, E>

/** Runs units of work on the store under test, which is only asked for inside a test. */
export const conformanceKit = (storage: () => Storage["Service"]) => {
  const tx = <A, E>(work: Work<A, E>): Promise<A> => run(storage().transaction(work))
  const q = <A, E>(work: Work<A, E>): Promise<A> => run(storage().query(work))
  /** The typed error a unit of work fails with. */
  const txFailure = <A, E>(work: Work<A, E>): Promise<E | StorageError> => failure(storage().transaction(work))
  const seedConversation = async (tenantId: string, overrides: Partial<Conversation> = {}) => {
    const contact = one(A.contact(tenantId))
    const conversation = { ...one(A.conversation(tenantId, contact.id)), ...overrides, contactId: contact.id }
    await tx((r) => Effect.andThen(r.contacts.insert(contact), r.conversations.insert(conversation)))
    return { contact, conversation }
  }
  return { tx, q, txFailure, seedConversation }
}
