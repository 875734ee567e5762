import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { VersionConflictError } from "../../src/domain/shared/errors"
import { useCases } from "../../src/use-cases"
import { maxRunsOnRace } from "../../src/use-cases/support/rerun-on-race"
import { contendedStorage } from "./contended-storage"
import { principals } from "./fixture"
import { seededMemory } from "./seeded-memory"

const setup = seededMemory

describe("commands whose caller sent no version, against concurrent writers", () => {
  it("recordConversationActivity reads again and applies its change when another agent wrote the contact first", async () => {
    const { inner, run, conversation, contact } = await setup()
    const contended = contendedStorage(inner, { contacts: 5 })
    const at = new Date(Date.now() + 60_000).toISOString()
    const result = await run(useCases.recordConversationActivity(principals.alice, { conversationId: conversation.id, at }), contended.storage)
    expect(contended.failed.contacts).toBe(5)
    expect(result.lastActivityAt).toBe(at)
    const stored = await run(useCases.getContact(principals.alice, { contactId: contact.id }))
    expect(stored.lastActivityAt).toBe(at)
    // One recorded event: the failed runs were rolled back.
    const events = await run(useCases.conversationActivity(principals.alice, { conversationId: conversation.id }))
    expect(events.items.filter((e) => e.type === "conversation.activity_recorded")).toHaveLength(1)
  })

  it("openConversation opens exactly one conversation when its update of the contact loses races", async () => {
    const { inner, run, contact } = await setup()
    const contended = contendedStorage(inner, { contacts: 3 })
    await new Promise((resolve) => setTimeout(resolve, 5)) // a later time, so the contact's last activity moves
    await run(useCases.openConversation(principals.alice, { contactId: contact.id, channel: "whatsapp" }), contended.storage)
    expect(contended.failed.contacts).toBe(3)
    const page = await run(useCases.listContactConversations(principals.alice, { contactId: contact.id }))
    expect(page.items.map((c) => c.channel).sort()).toEqual(["sms", "whatsapp"])
  })

  it("setConversationStatus without a version is re-run; with one, the conflict reaches the caller", async () => {
    const { inner, run, conversation } = await setup()
    const unversioned = contendedStorage(inner, { conversations: 2 })
    const pending = await run(useCases.setConversationStatus(principals.alice, { conversationId: conversation.id, status: "pending" }), unversioned.storage)
    expect(pending.status).toBe("pending")
    const versioned = contendedStorage(inner, { conversations: 1 })
    const conflict = await run(
      Effect.flip(useCases.setConversationStatus(principals.alice, { conversationId: conversation.id, status: "resolved", expectedVersion: pending.version })),
      versioned.storage,
    )
    expect(conflict).toBeInstanceOf(VersionConflictError)
    expect(versioned.failed.conversations).toBe(1)
  })

  it("gives up after a bounded number of runs", async () => {
    const { inner, run, conversation } = await setup()
    const contended = contendedStorage(inner, { conversations: maxRunsOnRace + 10 })
    const conflict = await run(
      Effect.flip(useCases.setConversationStatus(principals.alice, { conversationId: conversation.id, status: "pending" })),
      contended.storage,
    )
    expect(conflict).toBeInstanceOf(VersionConflictError)
    expect(contended.failed.conversations).toBe(maxRunsOnRace)
  }, 30_000)
})
