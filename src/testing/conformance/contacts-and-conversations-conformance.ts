import { Effect } from "effect"
import fc from "fast-check"
import { expect, it } from "vitest"
import type { Contact } from "../../domain/contact/contact"
import type { Conversation } from "../../domain/conversation/conversation"
import { VersionConflictError } from "../../domain/shared/errors"
import * as A from "../arbitraries/entities"
import { conformanceKit, one, newTenant, at } from "./conformance-kit"
import type { StorageSubSuite } from "./storage-sub-suite"
import { newestFirst, orderBy } from "../../domain/shared/ordering"

/**
 * The `contactsAndConversations` sub-suite of the storage conformance suite.
 * Contacts and conversations: exact round trips, tenant scoping, the version check of `update`, a
 * conversation's contact in one locking read, and a contact's conversations by last activity, in slices.
 *
 * @example
 * ```ts
 * import { memoryStorage } from "rmc-details"
 * import { describeStorageConformance } from "rmc-details/testing"
 * describeStorageConformance("memory", memoryStorage(), { only: ["contactsAndConversations"] })
 * ```
 */
export const contactsAndConversationsConformance: StorageSubSuite = (storage) => {
  const { tx, q, txFailure, seedConversation } = conformanceKit(storage)

  it("round-trip exactly, and are null in another tenant", async () => {
    const tenantId = newTenant()
    const { contact, conversation } = await seedConversation(tenantId)
    expect(await q((r) => r.contacts.get(tenantId, contact.id))).toEqual(contact)
    expect(await q((r) => r.conversations.get(tenantId, conversation.id))).toEqual(conversation)
    expect(await q((r) => r.contacts.get(newTenant(), contact.id))).toBeNull()
    expect(await q((r) => r.conversations.get(newTenant(), conversation.id))).toBeNull()
    expect(await q((r) => r.contacts.get(tenantId, one(A.arbitraries.id)))).toBeNull()
  })

  it("find a conversation's contact in one locking read, in its tenant only, and hold the lock until the transaction ends", async () => {
    const tenantId = newTenant()
    const { contact, conversation } = await seedConversation(tenantId)
    for (const mode of ["share", "update"] as const) {
      expect(await tx((r) => r.contacts.getLockedByConversation(tenantId, conversation.id, mode))).toEqual(contact)
      expect(await tx((r) => r.contacts.getLockedByConversation(newTenant(), conversation.id, mode))).toBeNull()
      expect(await tx((r) => r.contacts.getLockedByConversation(tenantId, contact.id, mode))).toBeNull()
    }
    // A write that takes the contact for update waits for the reader's transaction.
    let release = () => {}
    const held = new Promise<void>((resolve) => (release = resolve))
    let locked = () => {}
    const lockTaken = new Promise<void>((resolve) => (locked = resolve))
    const reader = tx((r) =>
      Effect.andThen(
        r.contacts.getLockedByConversation(tenantId, conversation.id, "share"),
        Effect.promise(() => {
          locked()
          return held
        }),
      ),
    )
    await lockTaken
    let written = false
    const writer = tx((r) =>
      Effect.flatMap(r.contacts.getLocked(tenantId, contact.id, "update"), (current) =>
        r.contacts.update({ ...current!, fullName: "Renamed while read", version: current!.version + 1 }, current!),
      ),
    ).then(() => {
      written = true
    })
    await new Promise((resolve) => setTimeout(resolve, 150))
    expect(written).toBe(false)
    release()
    await Promise.all([reader, writer])
    expect(await q((r) => r.contacts.get(tenantId, contact.id))).toMatchObject({ fullName: "Renamed while read", version: contact.version + 1 })
  })

  it("refuse a stale version with a typed error and keep the stored record", async () => {
    const tenantId = newTenant()
    const { contact, conversation } = await seedConversation(tenantId)
    const moved: Conversation = { ...conversation, status: "resolved", version: 2 }
    await tx((r) => r.conversations.update(moved))
    const lost = await txFailure((r) => r.conversations.update({ ...conversation, status: "pending", version: 2 }))
    expect(lost).toBeInstanceOf(VersionConflictError)
    expect(lost).toMatchObject({ entity: "conversation", id: conversation.id, expected: 1, actual: 2 })
    expect(await q((r) => r.conversations.get(tenantId, conversation.id))).toEqual(moved)
    const renamed: Contact = { ...contact, fullName: "Renamed", version: 2 }
    await tx((r) => r.contacts.update(renamed, contact))
    expect(await txFailure((r) => r.contacts.update({ ...contact, version: 2 }, contact))).toBeInstanceOf(VersionConflictError)
    expect(await q((r) => r.contacts.get(tenantId, contact.id))).toEqual(renamed)
    // the same record under another tenant is not there to update
    expect(await txFailure((r) => r.conversations.update({ ...moved, tenantId: newTenant(), version: 3 }))).toBeInstanceOf(VersionConflictError)
  })

  it("list a contact's conversations by last activity, newest first, in slices", async () => {
    const tenantId = newTenant()
    const contact = one(A.contact(tenantId))
    const conversations = fc.sample(A.conversation(tenantId, contact.id), 7).map((c, i) => ({ ...c, lastActivityAt: at(i % 3), createdAt: at(0) }))
    await tx((r) =>
      Effect.andThen(
        r.contacts.insert(contact),
        Effect.forEach(conversations, (c) => r.conversations.insert(c)),
      ),
    )
    const expected = [...conversations].sort(orderBy(newestFirst, (c: Conversation) => ({ at: c.lastActivityAt, id: c.id })))
    const all = await q((r) => r.conversations.listByContact(tenantId, contact.id, { limit: 100 }))
    expect(all.map((c) => c.id)).toEqual(expected.map((c) => c.id))
    expect(all[0]).toEqual({
      id: expected[0]!.id,
      contactId: contact.id,
      channel: expected[0]!.channel,
      status: expected[0]!.status,
      assigneeId: expected[0]!.assigneeId,
      departmentId: null,
      departmentName: null,
      labels: [],
      createdAt: expected[0]!.createdAt,
      lastActivityAt: expected[0]!.lastActivityAt,
    })
    const paged: Array<string> = []
    let after: { at: string; id: string } | undefined
    for (;;) {
      const slice = await q((r) => r.conversations.listByContact(tenantId, contact.id, { limit: 3, after }))
      paged.push(...slice.map((c) => c.id))
      const last = slice.at(-1)
      if (slice.length < 3 || last === undefined) break
      after = { at: last.lastActivityAt, id: last.id }
    }
    expect(paged).toEqual(expected.map((c) => c.id))
    expect(await q((r) => r.conversations.listByContact(newTenant(), contact.id, { limit: 10 }))).toEqual([])
  })
}
