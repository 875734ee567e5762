import { Effect, Layer } from "effect"
import { describe, expect, it } from "vitest"
import { makeMemoryStorage } from "../../src/adapters/memory"
import { maxFailureReasonLength, maxProviderCallIdLength } from "../../src/domain/call/call-attempt"
import { CallRejectedError } from "../../src/domain/shared/errors"
import { createRmc } from "../../src/facade/create-rmc"
import { Storage } from "../../src/ports/storage"
import { type DialRequest, type DialResult, Telephony } from "../../src/ports/telephony"
import { principals } from "./fixture"

/** A telephony system that runs `during` while it dials, then answers `answer`. */
const setup = (
  answer: (request: DialRequest) => Effect.Effect<DialResult, CallRejectedError>,
  during: (request: DialRequest) => Promise<void> = async () => {},
) => {
  const storage = makeMemoryStorage()
  const telephony = Telephony.of({
    dial: (request) =>
      Effect.andThen(
        Effect.promise(() => during(request)),
        answer(request),
      ),
  })
  const rmc = createRmc({ storage: Layer.succeed(Storage, storage), telephony: Layer.succeed(Telephony, telephony) })
  const alice = rmc.as(principals.alice)
  const webhook = rmc.as({ tenantId: "acme", agentId: "voip-webhook", role: "supervisor" })
  const conversation = async () => {
    const contact = await alice.createContact({ fullName: "Camille Martin", primaryPhone: "06 12 34 56 78" })
    return alice.openConversation({ contactId: contact.id, channel: "voice" })
  }
  return { storage, alice, webhook, conversation }
}

describe("calls against status reports and oversized answers", () => {
  it("a status report that arrives while the dial runs is not overwritten by the dial's end", async () => {
    let webhook: ReturnType<typeof setup>["webhook"] | undefined
    const f = setup(
      () => Effect.succeed({ providerCallId: "c-42" }),
      async (request) => {
        await webhook!.recordCallStatus({ callId: request.callId, providerCallId: "c-42", status: "ringing", at: new Date().toISOString() })
      },
    )
    webhook = f.webhook
    const conversation = await f.conversation()
    const call = await f.alice.callContact({ conversationId: conversation.id, idempotencyKey: "k-1" })
    expect(call).toMatchObject({ status: "ringing", providerCallId: "c-42" })
    expect((await f.alice.listCalls({ conversationId: conversation.id })).items).toMatchObject([{ status: "ringing", providerCallId: "c-42" }])
    const answered = await f.webhook.recordCallStatus({ providerCallId: "c-42", status: "answered", at: new Date().toISOString() })
    expect(answered.status).toBe("answered")
  })

  it("a telephony id over 200 characters keeps the placed call recorded and matchable", async () => {
    const longId = `call-${"x".repeat(400)}`
    const f = setup(() => Effect.succeed({ providerCallId: longId }))
    const conversation = await f.conversation()
    const call = await f.alice.callContact({ conversationId: conversation.id, idempotencyKey: "k-2" })
    expect(call.status).toBe("dialing")
    expect(call.providerCallId!.length).toBeLessThanOrEqual(maxProviderCallIdLength)
    const ringing = await f.webhook.recordCallStatus({ providerCallId: longId, status: "ringing", at: new Date().toISOString() })
    expect(ringing).toMatchObject({ id: call.id, status: "ringing" })
    const other = `call-${"y".repeat(400)}`
    await expect(f.webhook.recordCallStatus({ providerCallId: other, status: "ringing", at: new Date().toISOString() })).rejects.toMatchObject({
      code: "not_found",
    })
  })

  it("a 2 MB refusal reason is stored cut to the documented bound, and the retry answers the same error", async () => {
    const huge = "r".repeat(2 * 1024 * 1024)
    const f = setup(() => Effect.fail(new CallRejectedError({ message: huge, reason: huge })))
    const conversation = await f.conversation()
    const error = await f.alice.callContact({ conversationId: conversation.id, idempotencyKey: "k-3" }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CallRejectedError)
    const [stored] = (await f.alice.listCalls({ conversationId: conversation.id })).items
    expect(stored?.status).toBe("failed")
    expect(stored!.failureReason!.length).toBeLessThanOrEqual(maxFailureReasonLength)
    const retry = await f.alice.callContact({ conversationId: conversation.id, idempotencyKey: "k-3" }).catch((e: unknown) => e)
    expect(retry).toMatchObject({ code: "call_rejected" })
    const report = await f.webhook.recordCallStatus({ callId: stored!.id, status: "failed", at: new Date().toISOString(), reason: huge.slice(0, 60_000) })
    expect(report.failureReason).toBe(stored!.failureReason) // a final status never changes
  })

  it("a long reason in a status report is cut, not refused", async () => {
    const f = setup(() => Effect.succeed({ providerCallId: "c-7" }))
    const conversation = await f.conversation()
    await f.alice.callContact({ conversationId: conversation.id, idempotencyKey: "k-4" })
    const busy = await f.webhook.recordCallStatus({ providerCallId: "c-7", status: "busy", at: new Date().toISOString(), reason: "b".repeat(5000) })
    expect(busy.status).toBe("busy")
    expect(busy.failureReason!.length).toBe(maxFailureReasonLength)
  })
})
