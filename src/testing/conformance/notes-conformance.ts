import { Effect } from "effect"
import fc from "fast-check"
import { expect, it } from "vitest"
import type { Note } from "../../domain/note/note"
import { VersionConflictError } from "../../domain/shared/errors"
import * as A from "../arbitraries/entities"
import { conformanceKit, one, newTenant, at } from "./conformance-kit"
import type { StorageSubSuite } from "./storage-sub-suite"

/**
 * The `notes` sub-suite of the storage conformance suite.
 * Notes: the live notes of a subject, newest first; revisions and deletions kept.
 *
 * @example
 * ```ts
 * import { memoryStorage } from "rmc-details"
 * import { describeStorageConformance } from "rmc-details/testing"
 * describeStorageConformance("memory", memoryStorage(), { only: ["notes"] })
 * ```
 */
export const notesConformance: StorageSubSuite = (storage) => {
  const { tx, q, txFailure, seedConversation } = conformanceKit(storage)

  it("list the live notes of a subject, newest first, and keep revisions and deletions", async () => {
    const tenantId = newTenant()
    const { contact, conversation } = await seedConversation(tenantId)
    const subject = { kind: "conversation" as const, id: conversation.id }
    const notes = fc.sample(A.note(tenantId, subject, contact.id), 4).map((n, i) => ({ ...n, createdAt: at(i) }))
    const onContact = one(A.note(tenantId, { kind: "contact", id: contact.id }, contact.id))
    await tx((r) => Effect.forEach([...notes, onContact], (n) => r.notes.insert(n)))
    const edited: Note = { ...notes[1]!, body: "edited", editedAt: at(10), revisions: [{ body: notes[1]!.body, editedBy: "sam", editedAt: at(10) }], version: 2 }
    const deleted: Note = { ...notes[2]!, deletedAt: at(11), deletedBy: "sam", version: 2 }
    await tx((r) => Effect.andThen(r.notes.update(edited), r.notes.update(deleted)))
    expect(await txFailure((r) => r.notes.update({ ...notes[1]!, version: 2 }))).toBeInstanceOf(VersionConflictError)
    expect(await q((r) => r.notes.listBySubject(tenantId, subject))).toEqual([notes[3], edited, notes[0]])
    expect(await q((r) => r.notes.listBySubject(tenantId, { kind: "contact", id: contact.id }))).toEqual([onContact])
    expect(await q((r) => r.notes.get(tenantId, deleted.id))).toEqual(deleted)
    expect(await q((r) => r.notes.listBySubject(newTenant(), subject))).toEqual([])
  })
}
