import { Effect, Fiber, Layer } from "effect"
import { expect, it } from "vitest"
import { makeMemoryTelephony } from "../../adapters/memory/memory-telephony"
import type { OutboxEntry } from "../../domain/activity/activity-event"
import type { Principal } from "../../domain/shared/principal"
import { createRmc } from "../../facade/create-rmc"
import { Storage } from "../../ports/storage"
import { makeMemoryRelayStore } from "../../relay/memory-relay-store"
import { makeMemorySink } from "../../relay/memory-sink"
import { runRelay } from "../../relay/run-relay"
import { newTenant } from "./conformance-kit"
import type { StorageSubSuite } from "./storage-sub-suite"

/**
 * The `deletedNotes` sub-suite of the storage conformance suite: once a note is deleted, the outbox
 * serves none of its text (its body and every earlier revision) in any event about it, whether the
 * events were read before or not: `readOutbox` and a relay started after the deletion publish no
 * trace of it. The notes that are still there keep their bodies in the outbox.
 *
 * @example
 * ```ts
 * import { memoryStorage } from "rmc-details"
 * import { describeStorageConformance } from "rmc-details/testing"
 * describeStorageConformance("memory", memoryStorage(), { only: ["deletedNotes"] })
 * ```
 */
export const deletedNotesConformance: StorageSubSuite = (storage) => {
  const session = () => createRmc({ storage: Layer.succeed(Storage, storage()), telephony: makeMemoryTelephony().layer })

  /**
   * Every entry after `after`, read on until an event of `tenantId` about `subjectId` is among them:
   * on some databases the newest commits take a moment to be served.
   */
  const readUntil = async (rmc: ReturnType<typeof session>, after: number, tenantId: string, subjectId: string) => {
    const entries: Array<OutboxEntry> = []
    const deadline = Date.now() + 10_000
    for (let position = after; ; ) {
      const batch = await rmc.readOutbox(position, 500)
      entries.push(...batch)
      if (batch.length > 0) position = batch.at(-1)!.position
      else if (entries.some((e) => e.event.tenantId === tenantId && e.event.subjectId === subjectId)) return entries
      else if (Date.now() > deadline) throw new Error(`the outbox never served the event about ${subjectId}`)
      else await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }

  it("serves and publishes no body of a note deleted before the events were read, and every body of a note kept", async () => {
    const rmc = session()
    try {
      const tenantId = newTenant()
      const admin: Principal = { tenantId, agentId: "redaction-admin", role: "admin" }
      const api = rmc.as(admin)
      // Where the outbox ends before this test: the relay resumes from there, as from a checkpoint.
      let start = 0
      for (let batch = await rmc.readOutbox(0, 1000); batch.length > 0; batch = await rmc.readOutbox(start, 1000)) start = batch.at(-1)!.position

      const contact = await api.createContact({ fullName: "Redaction Contact", type: "Lead", primaryPhone: "+33612345678" })
      const conversation = await api.openConversation({ contactId: contact.id, channel: "sms" })
      const secret = (n: number) => `secret-${tenantId}-${n}`
      const kept = (n: number) => `kept-${tenantId}-${n}`
      const gone = await api.addNote({ subject: { kind: "conversation", id: conversation.id }, body: secret(1) })
      const edited = await api.editNote({ noteId: gone.id, body: secret(2), expectedVersion: gone.version })
      const onContact = await api.addNote({ subject: { kind: "contact", id: contact.id }, body: kept(1) })
      await api.editNote({ noteId: onContact.id, body: kept(2), expectedVersion: onContact.version })
      const again = await api.editNote({ noteId: edited.id, body: secret(3), expectedVersion: edited.version })

      // Read once before the deletion: the bodies are there, as for any live note.
      const marker = await api.createKeyword({ name: `Marker ${tenantId.slice(2, 10)}` })
      expect(JSON.stringify(await readUntil(rmc, start, tenantId, marker.id))).toContain(secret(3))

      await api.deleteNote({ noteId: again.id, expectedVersion: again.version })
      const closing = await api.createKeyword({ name: `Closing ${tenantId.slice(2, 10)}` })
      const served = await readUntil(rmc, start, tenantId, closing.id)
      const ours = served.filter((e) => e.event.tenantId === tenantId)

      // Every event about the deleted note is still served, in order, and carries none of its text.
      const aboutGone = ours.filter((e) => e.event.subjectId === gone.id).map((e) => e.event)
      expect(aboutGone.map((e) => e.type)).toEqual(["note.added", "note.edited", "note.edited", "note.deleted"])
      const servedText = JSON.stringify(served)
      for (const n of [1, 2, 3]) expect(servedText).not.toContain(secret(n))
      expect(aboutGone[0]!.after).toEqual({ subject: { kind: "conversation", id: conversation.id } })
      // The note that is still there keeps its text, revisions included.
      expect(servedText).toContain(kept(1))
      expect(servedText).toContain(kept(2))

      // A relay that starts after the deletion publishes the same: no trace of the deleted text.
      const sink = makeMemorySink()
      const store = makeMemoryRelayStore()
      const seed = await Effect.runPromise(store.acquire("redaction", "seed", 60_000))
      await Effect.runPromise(Effect.andThen(store.checkpoint("redaction", seed!.token, start, 0), store.release("redaction", seed!.token)))
      const fiber = Effect.runFork(runRelay({ name: "redaction", sink, store, idleMs: 10 }).pipe(Effect.provideService(Storage, storage())))
      const deadline = Date.now() + 10_000
      while (!sink.deliveries.some((d) => d.entry.event.subjectId === closing.id) && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 20))
      await Effect.runPromise(Fiber.interrupt(fiber))
      const published = sink.deliveries.map((d) => d.entry)
      expect(published.filter((e) => e.event.subjectId === gone.id).map((e) => e.event.type)).toEqual([
        "note.added",
        "note.edited",
        "note.edited",
        "note.deleted",
      ])
      const publishedText = JSON.stringify(published)
      for (const n of [1, 2, 3]) expect(publishedText).not.toContain(secret(n))
      expect(publishedText).toContain(kept(2))
    } finally {
      await rmc.dispose()
    }
  })
}
