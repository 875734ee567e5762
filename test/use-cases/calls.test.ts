import { describe, expect, it } from "vitest"
import { CallRejectedError, TelephonyUnavailableError } from "../../src/domain/shared/errors"
import { Layer } from "effect"
import { makeMemoryStorage, memoryTelephony } from "../../src/adapters/memory"
import { Storage } from "../../src/ports/storage"
import { createRmc } from "../../src/facade/create-rmc"
import { noTelephony } from "../../src/facade/rmc-layer"
import { contactWithConversation, fixture, principals } from "./fixture"

describe("calls", () => {
  it("dial the primary phone or another number of the contact, written in any form", async () => {
    const f = fixture()
    const { contact, conversation } = await contactWithConversation(f)
    await f.alice.updateContact({ contactId: contact.id, phones: ["01 98 76 54 32"] })
    const call = await f.alice.callContact({ conversationId: conversation.id, idempotencyKey: "call-1" })
    expect(call).toMatchObject({ to: "+33612345678", status: "dialing", requestedBy: "alice" })
    expect(call.providerCallId).not.toBeNull()
    const other = await f.alice.callContact({ conversationId: conversation.id, to: "+33 1 98 76 54 32", idempotencyKey: "call-2" })
    expect(other.to).toBe("+33198765432")
    expect(f.phone.dialed.map((d) => d.to)).toEqual(["+33612345678", "+33198765432"])
    await expect(f.alice.callContact({ conversationId: conversation.id, to: "06 99 99 99 99", idempotencyKey: "call-3" })).rejects.toMatchObject({
      code: "validation_failed",
      issues: [{ path: ["to"] }],
    })
    const log = await f.alice.conversationActivity({ conversationId: conversation.id })
    expect(log.items.filter((e) => e.type.startsWith("call.")).map((e) => e.type)).toEqual([
      "call.status_changed",
      "call.requested",
      "call.status_changed",
      "call.requested",
    ])
  })

  it("never place two calls for one idempotency key", async () => {
    const f = fixture()
    const { conversation } = await contactWithConversation(f)
    const calls = await Promise.all(Array.from({ length: 5 }, () => f.alice.callContact({ conversationId: conversation.id, idempotencyKey: "same" })))
    expect(new Set(calls.map((c) => c.id)).size).toBe(1)
    expect(f.phone.dialed).toHaveLength(1)
    const other = await f.alice.openConversation({ contactId: conversation.contactId, channel: "voice" })
    await expect(f.alice.callContact({ conversationId: other.id, idempotencyKey: "same" })).rejects.toMatchObject({ code: "idempotency_conflict" })
    expect((await f.alice.listCalls({ conversationId: conversation.id })).items).toHaveLength(1)
  })

  it("fail with a typed error when there is no number, or the telephony system fails, and say so on retry", async () => {
    const f = fixture()
    const contact = await f.alice.createContact({ fullName: "E-mail only", email: "x@example.com" })
    const conversation = await f.alice.openConversation({ contactId: contact.id, channel: "email" })
    await expect(f.alice.callContact({ conversationId: conversation.id, idempotencyKey: "k" })).rejects.toMatchObject({ code: "no_phone_number" })

    const { conversation: callable } = await contactWithConversation(f)
    f.phone.failNext(new CallRejectedError({ message: "Number blocked", reason: "blocked" }))
    const rejected = f.alice.callContact({ conversationId: callable.id, idempotencyKey: "k1" })
    await expect(rejected).rejects.toBeInstanceOf(CallRejectedError)
    await expect(f.alice.callContact({ conversationId: callable.id, idempotencyKey: "k1" })).rejects.toMatchObject({ code: "call_rejected", reason: "blocked" })
    expect(f.phone.requests).toHaveLength(1)
    expect(f.phone.dialed).toHaveLength(0)
    const [failed] = (await f.alice.listCalls({ conversationId: callable.id })).items
    expect(failed).toMatchObject({ status: "failed" })
    expect(failed?.failureReason).toContain("Number blocked")

    f.phone.failNext(new TelephonyUnavailableError({ message: "VoIP down", outcome: "not_placed" }))
    await expect(f.alice.callContact({ conversationId: callable.id, idempotencyKey: "k2" })).rejects.toMatchObject({
      code: "telephony_unavailable",
      outcome: "not_placed",
    })
  })

  it("follow the telephony system's status reports, late, repeated or out of order", async () => {
    const f = fixture()
    const { conversation } = await contactWithConversation(f)
    const call = await f.alice.callContact({ conversationId: conversation.id, idempotencyKey: "c" })
    const providerCallId = call.providerCallId!
    // The reports below are stamped up to 10:05; the clock must have reached them (started at 09:00).
    f.clock.jump(70 * 60_000)
    await expect(f.alice.recordCallStatus({ providerCallId, status: "ringing", at: "2026-03-01T10:00:00Z" })).rejects.toMatchObject({ code: "forbidden" })
    const webhook = f.rmc.as({ tenantId: "acme", agentId: "voip", role: "supervisor" })
    await webhook.recordCallStatus({ providerCallId, status: "answered", at: "2026-03-01T10:00:05Z" })
    await webhook.recordCallStatus({ providerCallId, status: "ringing", at: "2026-03-01T10:00:01Z" })
    await webhook.recordCallStatus({ providerCallId, status: "answered", at: "2026-03-01T10:00:05Z" })
    const done = await webhook.recordCallStatus({ callId: call.id, status: "completed", at: "2026-03-01T10:04:00Z" })
    expect(done.status).toBe("completed")
    expect(await webhook.recordCallStatus({ providerCallId, status: "failed", at: "2026-03-01T10:05:00Z" })).toEqual(done)
    const statuses = (await f.alice.conversationActivity({ conversationId: conversation.id })).items
      .filter((e) => e.type === "call.status_changed")
      .map((e) => e.after?.status)
    expect(statuses).toEqual(["completed", "answered", "dialing"])
    await expect(webhook.recordCallStatus({ providerCallId: "unknown", status: "ringing", at: "2026-03-01T10:00:00Z" })).rejects.toMatchObject({
      code: "not_found",
    })
    const globex = f.rmc.as({ tenantId: "globex", agentId: "voip", role: "supervisor" })
    await expect(globex.recordCallStatus({ providerCallId, status: "failed", at: "2026-03-01T10:00:00Z" })).rejects.toMatchObject({ code: "not_found" })
  })

  it("call a contact known only by a WhatsApp number on that number", async () => {
    const f = fixture()
    const contact = await f.alice.createContact({ fullName: "WhatsApp only", channelIdentities: [{ channel: "whatsapp", handle: "06 12 34 56 78" }] })
    const conversation = await f.alice.openConversation({ contactId: contact.id, channel: "whatsapp" })
    const details = await f.alice.getDetails({ conversationId: conversation.id })
    expect(details.actions.find((a) => a.name === "call")).toMatchObject({ enabled: true, targets: ["+33612345678"] })
    const call = await f.alice.callContact({ conversationId: conversation.id, idempotencyKey: "wa-1" })
    expect(call).toMatchObject({ to: "+33612345678", status: "dialing" })
    expect(f.phone.dialed.map((d) => d.to)).toEqual(["+33612345678"])
  })

  it("without a telephony system, show Call disabled with its reason and refuse a call before it uses up its key", async () => {
    for (const telephony of [undefined, noTelephony]) {
      // One store shared by both facades below.
      const storage = Layer.succeed(Storage, makeMemoryStorage())
      const rmc = createRmc({ storage, ...(telephony && { telephony }) })
      const alice = rmc.as(principals.alice)
      const contact = await alice.createContact({ fullName: "Camille Martin", primaryPhone: "06 12 34 56 78" })
      const conversation = await alice.openConversation({ contactId: contact.id, channel: "voice" })
      const details = await alice.getDetails({ conversationId: conversation.id })
      expect(details.actions.find((a) => a.name === "call")).toMatchObject({ enabled: false, reason: { code: "no_telephony" }, targets: [] })
      const outbox = await rmc.readOutbox(0, 1_000)
      await expect(alice.callContact({ conversationId: conversation.id, idempotencyKey: "k" })).rejects.toMatchObject({
        code: "telephony_unavailable",
        outcome: "not_placed",
      })
      expect((await alice.listCalls({ conversationId: conversation.id })).items).toEqual([])
      expect(await rmc.readOutbox(0, 1_000)).toEqual(outbox)
      await rmc.dispose()
      // The same store with a telephony system: the key was not used up, the call goes through.
      const withPhone = createRmc({ storage, telephony: memoryTelephony() })
      const call = await withPhone.as(principals.alice).callContact({ conversationId: conversation.id, idempotencyKey: "k" })
      expect(call).toMatchObject({ status: "dialing" })
      await withPhone.dispose()
    }
  })
})
