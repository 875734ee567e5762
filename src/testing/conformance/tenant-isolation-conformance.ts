import { Effect } from "effect"
import fc from "fast-check"
import { expect, it } from "vitest"
import { VersionConflictError } from "../../domain/shared/errors"
import { normalizeName } from "../../domain/tagging/normalize-name"
import * as A from "../arbitraries/entities"
import { conformanceKit, one, newTenant, at } from "./conformance-kit"
import type { StorageSubSuite } from "./storage-sub-suite"

/**
 * The `tenantIsolation` sub-suite of the storage conformance suite.
 * Tenant isolation: one tenant's records are never shown or changed through another.
 *
 * @example
 * ```ts
 * import { memoryStorage } from "rmc-details"
 * import { describeStorageConformance } from "rmc-details/testing"
 * describeStorageConformance("memory", memoryStorage(), { only: ["tenantIsolation"] })
 * ```
 */
export const tenantIsolationConformance: StorageSubSuite = (storage, { numRuns }) => {
  const { tx, q, txFailure, seedConversation } = conformanceKit(storage)

  it("never shows or changes one tenant's records through another", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 3 }), async (count) => {
        const owner = newTenant()
        const intruder = newTenant()
        for (let i = 0; i < count; i++) {
          const { contact, conversation } = await seedConversation(owner)
          const note = one(A.note(owner, { kind: "contact", id: contact.id }, contact.id))
          // Names are unique per tenant: two random keywords of one owner must not share one.
          const drawn = one(A.keyword(owner))
          const keyword = { ...drawn, name: `${drawn.name} ${i}`, normalizedName: normalizeName(`${drawn.name} ${i}`) }
          await tx((r) => Effect.all([r.notes.insert(note), r.keywords.insert(keyword), r.tagging.attachKeyword(owner, conversation.id, keyword.id, at(1))]))
          expect(await q((r) => r.contacts.get(intruder, contact.id))).toBeNull()
          expect(await q((r) => r.conversations.get(intruder, conversation.id))).toBeNull()
          expect(await q((r) => r.notes.get(intruder, note.id))).toBeNull()
          expect(await q((r) => r.notes.listBySubject(intruder, note.subject, { limit: 10 }))).toEqual([])
          expect(await q((r) => r.keywords.get(intruder, keyword.id))).toBeNull()
          expect(await q((r) => r.details.load(intruder, conversation.id, { history: 5, notes: 5 }, { agentId: "alice", role: "agent" }))).toBeNull()
          expect(await q((r) => r.tagging.keywordsOf(intruder, conversation.id))).toEqual([])
          expect(await tx((r) => r.tagging.detachKeyword(intruder, conversation.id, keyword.id))).toBe(false)
          expect(await txFailure((r) => r.notes.update({ ...note, tenantId: intruder, body: "x", version: 2 }))).toBeInstanceOf(VersionConflictError)
          expect(await q((r) => r.notes.get(owner, note.id))).toEqual(note)
          expect(await q((r) => r.tagging.keywordsOf(owner, conversation.id))).toEqual([keyword])
        }
        expect(await q((r) => r.conversations.search(intruder, {}, { limit: 10 }))).toEqual([])
        expect(await q((r) => r.keywords.list(intruder, { includeArchived: true, limit: 100 }))).toEqual([])
      }),
      { numRuns: Math.min(numRuns, 5) },
    )
  })
}
