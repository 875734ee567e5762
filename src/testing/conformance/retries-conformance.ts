import { Effect } from "effect"
import { expect, it } from "vitest"
import type { Contact } from "../../domain/contact/contact"
import type { StorageRepositories } from "../../ports/storage"
import * as A from "../arbitraries/entities"
import { VersionConflictError } from "../../domain/shared/errors"
import { conformanceKit, newTenant, one, run } from "./conformance-kit"
import type { StorageSubSuite } from "./storage-sub-suite"

/** Pairs of crossing units of work run at once. */
const pairs = 4
/**
 * How long the first write of a pair waits for the other's: long enough for a database to hand out
 * both first locks, short enough for a store that runs one unit of work at a time, where the other
 * cannot start before this one ends.
 */
const meetWithinMs = 300

/** Resolves once `parties` callers have arrived, or after `withinMs`, whichever comes first. */
const meeting = (parties: number, withinMs: number) => {
  let arrived = 0
  let open: () => void = () => {}
  const opened = new Promise<void>((resolve) => (open = resolve))
  return () =>
    Effect.promise(() => {
      arrived++
      if (arrived >= parties) open()
      return Promise.race([opened, new Promise<void>((resolve) => setTimeout(resolve, withinMs))])
    })
}

/** Reads a contact and stores it one version further on, as any read-modify-write command does. */
const touch = (r: StorageRepositories, tenantId: string, id: string) =>
  Effect.gen(function* () {
    const stored = yield* r.contacts.get(tenantId, id)
    if (stored === null) return yield* Effect.die(new Error(`contact ${id} vanished`))
    yield* r.contacts.update({ ...stored, version: stored.version + 1 }, stored)
  })

/**
 * The `retries` sub-suite of the storage conformance suite.
 * Transient conflicts are the store's problem: two units of work that lock the same records in
 * opposite orders (a deadlock on a database with row locks) both complete, because the store runs
 * the loser again, and neither write is lost.
 *
 * @example
 * ```ts
 * import { memoryStorage } from "rmc-details"
 * import { describeStorageConformance } from "rmc-details/testing"
 * describeStorageConformance("memory", memoryStorage(), { only: ["retries"] })
 * ```
 */
export const retriesConformance: StorageSubSuite = (storage) => {
  const { tx, q } = conformanceKit(storage)

  it("run a unit of work again when it loses a deadlock, so crossing writers both complete", async () => {
    const tenantId = newTenant()
    const contacts: Array<readonly [Contact, Contact]> = Array.from({ length: pairs }, () => [one(A.contact(tenantId)), one(A.contact(tenantId))])
    await tx((r) => Effect.forEach(contacts.flat(), (c) => r.contacts.insert(c)))
    const outcomes = await Promise.allSettled(
      contacts.flatMap(([first, second]) => {
        const meet = meeting(2, meetWithinMs)
        // Each side meets the other only on its first run: a run again goes straight through.
        const crossing = (a: Contact, b: Contact) => {
          let runs = 0
          const work = storage().transaction((r) =>
            Effect.gen(function* () {
              yield* touch(r, tenantId, a.id)
              if (runs++ === 0) yield* meet()
              yield* touch(r, tenantId, b.id)
            }),
          )
          // A version conflict is the caller's to handle (the other side may write a contact between
          // this side's read and write when they do not meet in time); a deadlock is the store's.
          return run(Effect.retry(work, { times: 10, while: (error) => error instanceof VersionConflictError }))
        }
        return [crossing(first, second), crossing(second, first)]
      }),
    )
    const failed = outcomes.filter((o) => o.status === "rejected")
    expect(failed.map((o) => String((o as PromiseRejectedResult).reason))).toEqual([])
    // Every contact was written once by each side: no write lost, none applied twice.
    for (const contact of contacts.flat()) {
      expect((await q((r) => r.contacts.get(tenantId, contact.id)))?.version).toBe(contact.version + 2)
    }
  }, 60_000)
}
