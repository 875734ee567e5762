import { Effect } from "effect"
import fc from "fast-check"
import { expect, it } from "vitest"
import type { Note, NoteSubject } from "../../domain/note/note"
import * as A from "../arbitraries/entities"
import { conformanceKit, one, newTenant, at } from "./conformance-kit"
import type { StorageSubSuite } from "./storage-sub-suite"
import { newestFirst as newestFirstKey, orderBy } from "../../domain/shared/ordering"

/**
 * The `details` sub-suite of the storage conformance suite.
 * The details panel: everything it shows loaded in one read, and nothing from another tenant.
 *
 * @example
 * ```ts
 * import { memoryStorage } from "rmc-details"
 * import { describeStorageConformance } from "rmc-details/testing"
 * describeStorageConformance("memory", memoryStorage(), { only: ["details"] })
 * ```
 */
export const detailsConformance: StorageSubSuite = (storage) => {
  const { tx, q, seedConversation } = conformanceKit(storage)

  it("loads everything the panel shows in one read", async () => {
    const tenantId = newTenant()
    const settings = { ...one(A.tenantSettings(tenantId)), version: 1 }
    // Opened before every note, never assigned: every note of the reading agent counts for the policies.
    const { contact, conversation } = await seedConversation(tenantId, { createdAt: at(0), assignedAt: null })
    const department = one(A.department(tenantId))
    const withDepartment = { ...conversation, departmentId: department.id, version: 2 }
    const older = fc.sample(A.conversation(tenantId, contact.id), 4).map((c, i) => ({ ...c, lastActivityAt: at(i), createdAt: at(0) }))
    const contactNote = { ...one(A.note(tenantId, { kind: "contact", id: contact.id }, contact.id)), createdAt: at(1) }
    const conversationNote = { ...one(A.note(tenantId, { kind: "conversation", id: conversation.id }, contact.id)), createdAt: at(2) }
    const deletedNote = { ...one(A.note(tenantId, { kind: "conversation", id: conversation.id }, contact.id)), deletedAt: at(3), deletedBy: "x" }
    const otherConversationNote = one(A.note(tenantId, { kind: "conversation", id: older[0]!.id }, contact.id))
    const keyword = one(A.keyword(tenantId))
    const label = one(A.label(tenantId))
    const calls = fc
      .sample(A.callAttempt(tenantId, conversation.id, contact.id), 6)
      .map((c, i) => ({ ...c, idempotencyKey: `${c.idempotencyKey}-${i}`, createdAt: at(i), updatedAt: at(i) }))
    await tx((r) =>
      Effect.gen(function* () {
        yield* r.settings.put(settings)
        yield* r.departments.insert(department)
        yield* r.conversations.update(withDepartment)
        for (const c of older) yield* r.conversations.insert(c)
        for (const n of [contactNote, conversationNote, deletedNote, otherConversationNote]) yield* r.notes.insert(n)
        yield* r.keywords.insert(keyword)
        yield* r.labels.insert(label)
        yield* r.tagging.attachKeyword(tenantId, conversation.id, keyword.id, at(1))
        yield* r.tagging.applyLabel(tenantId, conversation.id, label.id, at(1))
        for (const c of calls) yield* r.calls.insert(c)
      }),
    )
    const snapshot = await q((r) =>
      r.details.load(tenantId, conversation.id, { history: 3, notes: 5 }, { agentId: conversationNote.authorId, role: "supervisor" }),
    )
    expect(snapshot).not.toBeNull()
    expect(snapshot!.settings).toEqual(settings)
    expect(snapshot!.conversation).toEqual(withDepartment)
    expect(snapshot!.contact).toEqual(contact)
    expect(snapshot!.department).toEqual(department)
    expect(snapshot!.notes).toEqual({ contact: [contactNote], conversation: [conversationNote] })
    expect(snapshot!.viewerNote).toEqual(conversationNote)
    expect(snapshot!.keywords).toEqual([keyword])
    expect(snapshot!.labels).toEqual([label])
    const history = await q((r) => r.conversations.listByContact(tenantId, contact.id, { limit: 3 }))
    expect(snapshot!.history).toEqual(history)
    expect(snapshot!.recentCalls.map((c) => c.id)).toEqual(
      calls
        .slice(1)
        .reverse()
        .map((c) => c.id),
    )
    expect(
      await q((r) => r.details.load(newTenant(), conversation.id, { history: 3, notes: 5 }, { agentId: conversationNote.authorId, role: "supervisor" })),
    ).toBeNull()
    const bare = await seedConversation(tenantId)
    const plain = await q((r) =>
      r.details.load(tenantId, bare.conversation.id, { history: 3, notes: 5 }, { agentId: conversationNote.authorId, role: "supervisor" }),
    )
    expect(plain).toMatchObject({ department: null, notes: { contact: [], conversation: [] }, viewerNote: null, keywords: [], labels: [], recentCalls: [] })
    expect(plain!.history.map((c) => c.id)).toEqual([bare.conversation.id])
  })

  it("loads each subject's newest live notes up to the limit, whatever the number stored", async () => {
    const tenantId = newTenant()
    // Opened before every note, never assigned: every note of the reading agent counts for the policies.
    const { contact, conversation } = await seedConversation(tenantId, { createdAt: at(0), assignedAt: null })
    const notesOn = (subject: NoteSubject, count: number) =>
      fc.sample(A.note(tenantId, subject, contact.id), count).map((n, i) => ({ ...n, createdAt: at(i % 4), deletedAt: null, deletedBy: null }))
    const onContact = notesOn({ kind: "contact", id: contact.id }, 9)
    // The oldest note of the conversation is the viewer's; a newer one of theirs is deleted.
    const onConversation = notesOn({ kind: "conversation", id: conversation.id }, 3).map((n, i) =>
      i === 0 ? { ...n, authorId: "viewer-x" } : { ...n, authorId: "other" },
    )
    const newestDeleted = { ...notesOn({ kind: "contact", id: contact.id }, 1)[0]!, createdAt: at(50), deletedAt: at(51), deletedBy: "sam" }
    const viewerDeleted = {
      ...notesOn({ kind: "conversation", id: conversation.id }, 1)[0]!,
      authorId: "viewer-x",
      createdAt: at(50),
      deletedAt: at(51),
      deletedBy: "sam",
    }
    await tx((r) => Effect.forEach([...onContact, ...onConversation, newestDeleted, viewerDeleted], (n) => r.notes.insert(n)))
    const newestFirst = orderBy(newestFirstKey, (n: Note) => ({ at: n.createdAt, id: n.id }))
    const snapshot = await q((r) => r.details.load(tenantId, conversation.id, { history: 2, notes: 4 }, { agentId: "viewer-x", role: "supervisor" }))
    expect(snapshot!.notes.contact).toEqual([...onContact].sort(newestFirst).slice(0, 4))
    expect(snapshot!.notes.conversation).toEqual([...onConversation].sort(newestFirst))
    const listed = await q((r) => r.notes.listBySubject(tenantId, { kind: "contact", id: contact.id }, { limit: 4 }))
    expect(snapshot!.notes.contact).toEqual(listed)
    // The viewer's own note is loaded even when the first page does not reach back to it.
    const narrow = await q((r) => r.details.load(tenantId, conversation.id, { history: 2, notes: 1 }, { agentId: "viewer-x", role: "supervisor" }))
    expect(narrow!.notes.conversation).toEqual([...onConversation].sort(newestFirst).slice(0, 1))
    expect(narrow!.viewerNote).toEqual(onConversation[0])
    // Assigned since: the viewer's earlier note no longer counts.
    await tx((r) => r.conversations.update({ ...conversation, assignedAt: at(1), version: conversation.version + 1 }))
    expect(
      (await q((r) => r.details.load(tenantId, conversation.id, { history: 2, notes: 1 }, { agentId: "viewer-x", role: "supervisor" })))!.viewerNote,
    ).toBeNull()
  })
}
