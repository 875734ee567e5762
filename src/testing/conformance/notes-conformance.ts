import { Effect } from "effect"
import fc from "fast-check"
import { expect, it } from "vitest"
import type { Note, NoteSubject } from "../../domain/note/note"
import { VersionConflictError } from "../../domain/shared/errors"
import type { CursorKey } from "../../domain/shared/page"
import * as A from "../arbitraries/entities"
import { conformanceKit, one, newTenant, at } from "./conformance-kit"
import type { StorageSubSuite } from "./storage-sub-suite"
import { newestFirst as newestFirstKey, orderBy } from "../../domain/shared/ordering"

/**
 * The `notes` sub-suite of the storage conformance suite.
 * Notes: the live notes of a subject, newest first, a page at a time; revisions and deletions kept.
 *
 * @example
 * ```ts
 * import { memoryStorage } from "rmc-details"
 * import { describeStorageConformance } from "rmc-details/testing"
 * describeStorageConformance("memory", memoryStorage(), { only: ["notes"] })
 * ```
 */
export const notesConformance: StorageSubSuite = (storage, { numRuns }) => {
  const { tx, q, txFailure, seedConversation } = conformanceKit(storage)

  it("list the live notes of a subject, newest first, and keep revisions and deletions", async () => {
    const tenantId = newTenant()
    const { contact, conversation } = await seedConversation(tenantId)
    const subject = { kind: "conversation" as const, id: conversation.id }
    const notes = fc.sample(A.note(tenantId, subject, contact.id), 4).map((n, i) => ({ ...n, createdAt: at(i) }))
    const onContact = one(A.note(tenantId, { kind: "contact", id: contact.id }, contact.id))
    await tx((r) => Effect.forEach([...notes, onContact], (n) => r.notes.insert(n)))
    const edited: Note = {
      ...notes[1]!,
      body: "edited",
      editedAt: at(10),
      revisions: [{ body: notes[1]!.body, editedBy: "sam", editedAt: at(10) }],
      version: 2,
    }
    const deleted: Note = { ...notes[2]!, deletedAt: at(11), deletedBy: "sam", version: 2 }
    await tx((r) => Effect.andThen(r.notes.update(edited), r.notes.update(deleted)))
    expect(await txFailure((r) => r.notes.update({ ...notes[1]!, version: 2 }))).toBeInstanceOf(VersionConflictError)
    expect(await q((r) => r.notes.listBySubject(tenantId, subject, { limit: 10 }))).toEqual([notes[3], edited, notes[0]])
    expect(await q((r) => r.notes.listBySubject(tenantId, { kind: "contact", id: contact.id }, { limit: 10 }))).toEqual([onContact])
    expect(await q((r) => r.notes.get(tenantId, deleted.id))).toEqual(deleted)
    expect(await q((r) => r.notes.listBySubject(newTenant(), subject, { limit: 10 }))).toEqual([])
  })

  it("pages of a subject's notes follow each other newest first, with no note twice or missing, while notes are added", async () => {
    const newestFirst = orderBy(newestFirstKey, (n: Note) => ({ at: n.createdAt, id: n.id }))
    // Few distinct times: many notes share one, and only the id orders them.
    const minute = fc.integer({ min: 0, max: 5 })
    const drawn = fc.record({ minute, deleted: fc.boolean(), elsewhere: fc.boolean() })
    await fc.assert(
      fc.asyncProperty(fc.array(drawn, { maxLength: 12 }), fc.array(minute, { maxLength: 4 }), fc.integer({ min: 1, max: 4 }), async (early, late, size) => {
        const tenantId = newTenant()
        const { contact, conversation } = await seedConversation(tenantId)
        const subject = { kind: "conversation" as const, id: conversation.id }
        const note = (minute: number, on: NoteSubject = subject): Note => ({ ...one(A.note(tenantId, on, contact.id)), createdAt: at(minute) })
        const initial = early.map((d) => ({
          ...note(d.minute, d.elsewhere ? { kind: "contact", id: contact.id } : subject),
          ...(d.deleted && { deletedAt: at(30), deletedBy: "sam" }),
        }))
        // Another tenant's note on a conversation with the same id.
        const elsewhere = await seedConversation(newTenant(), { id: conversation.id })
        const intruder = { ...one(A.note(elsewhere.contact.tenantId, subject, elsewhere.contact.id)), createdAt: at(0) }
        await tx((r) => Effect.forEach([...initial, intruder], (n) => r.notes.insert(n)))
        const page = (after?: CursorKey) => q((r) => r.notes.listBySubject(tenantId, subject, { limit: size, after }))
        const first = await page()
        const added = late.map((m) => note(m))
        await tx((r) => Effect.forEach(added, (n) => r.notes.insert(n)))
        const read = [...first]
        let last = first.at(-1)
        while (first.length === size && last !== undefined) {
          const next = await page({ at: last.createdAt, id: last.id })
          read.push(...next)
          if (next.length < size) break
          last = next.at(-1)
        }
        const live = initial.filter((n) => n.deletedAt === null && n.subject.kind === "conversation")
        const cursor = first.at(-1)
        // A note added after the first page comes later only when it sorts after that page's last note.
        const reachable = added.filter((n) => first.length === size && cursor !== undefined && newestFirst(cursor, n) < 0)
        expect(read.map((n) => n.id)).toEqual([...live, ...reachable].sort(newestFirst).map((n) => n.id))
      }),
      { numRuns: Math.min(numRuns, 10) },
    )
  })
}
