import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { TestClock } from "effect/testing"
import { makeMemoryStorage, makeMemoryTelephony } from "../../src/adapters/memory"
import { ValidationError } from "../../src/domain/shared/errors"
import { maxClockSkewMs } from "../../src/domain/shared/max-clock-skew"
import { rmcLayer } from "../../src/facade/rmc-layer"
import { Storage } from "../../src/ports/storage"
import { useCases } from "../../src/use-cases"
import { principals } from "./fixture"

const layer = () => rmcLayer({ storage: Layer.succeed(Storage, makeMemoryStorage()), telephony: makeMemoryTelephony().layer })
const start = Date.parse("2026-03-01T09:00:00.000Z")
const iso = (ms: number) => new Date(ms).toISOString()
const webhook = { tenantId: "acme", agentId: "voip", role: "supervisor" } as const

const conversation = Effect.gen(function* () {
  yield* TestClock.setTime(start)
  const contact = yield* useCases.createContact(principals.alice, { fullName: "Camille Martin", primaryPhone: "0612345678" })
  return yield* useCases.openConversation(principals.alice, { contactId: contact.id, channel: "sms" })
})

describe("times given by callers", () => {
  it("allow five minutes of clock skew, and no more", () => {
    expect(maxClockSkewMs).toBe(5 * 60_000)
  })

  it.effect("recordConversationActivity accepts an `at` up to five minutes ahead of the clock and refuses one further ahead", () =>
    Effect.gen(function* () {
      const opened = yield* conversation
      const edge = yield* useCases.recordConversationActivity(principals.alice, { conversationId: opened.id, at: iso(start + maxClockSkewMs) })
      expect(edge.lastActivityAt).toBe(iso(start + maxClockSkewMs))
      const refused = yield* Effect.flip(
        useCases.recordConversationActivity(principals.alice, { conversationId: opened.id, at: iso(start + maxClockSkewMs + 1) }),
      )
      expect(refused).toBeInstanceOf(ValidationError)
      expect((refused as ValidationError).issues).toEqual([{ path: ["at"], message: expect.stringMatching(/more than 5 minutes ahead/) }])
      const pinned = yield* Effect.flip(useCases.recordConversationActivity(principals.alice, { conversationId: opened.id, at: "9999-12-31T23:59:59Z" }))
      expect(pinned).toBeInstanceOf(ValidationError)
      expect((yield* useCases.getConversation(principals.alice, { conversationId: opened.id })).lastActivityAt).toBe(iso(start + maxClockSkewMs))
      // Once the clock has moved on, the same time is in the past and accepted.
      yield* TestClock.adjust("10 minutes")
      const later = yield* useCases.recordConversationActivity(principals.alice, { conversationId: opened.id, at: iso(start + maxClockSkewMs + 1) })
      expect(later.lastActivityAt).toBe(iso(start + maxClockSkewMs + 1))
    }).pipe(Effect.provide(layer())),
  )

  it.effect("recordConversationActivity compares times with their offset applied", () =>
    Effect.gen(function* () {
      const opened = yield* conversation
      // 09:04 in UTC, written in Paris time: within the skew.
      const paris = yield* useCases.recordConversationActivity(principals.alice, { conversationId: opened.id, at: "2026-03-01T10:04:00+01:00" })
      expect(paris.lastActivityAt).toBe("2026-03-01T09:04:00.000Z")
      // 09:06 in UTC, written in New York time.
      const refused = yield* Effect.flip(useCases.recordConversationActivity(principals.alice, { conversationId: opened.id, at: "2026-03-01T04:06:00-05:00" }))
      expect(refused).toBeInstanceOf(ValidationError)
    }).pipe(Effect.provide(layer())),
  )

  it.effect("recordCallStatus refuses a report stamped more than five minutes ahead, and leaves the call as it was", () =>
    Effect.gen(function* () {
      const opened = yield* conversation
      const call = yield* useCases.callContact(principals.alice, { conversationId: opened.id, idempotencyKey: "call-1" })
      const refused = yield* Effect.flip(
        useCases.recordCallStatus(webhook, { providerCallId: call.providerCallId!, status: "answered", at: iso(start + maxClockSkewMs + 1) }),
      )
      expect(refused).toBeInstanceOf(ValidationError)
      expect((yield* useCases.listCalls(principals.alice, { conversationId: opened.id })).items).toEqual([call])
      const answered = yield* useCases.recordCallStatus(webhook, { providerCallId: call.providerCallId!, status: "answered", at: iso(start + maxClockSkewMs) })
      expect(answered.status).toBe("answered")
    }).pipe(Effect.provide(layer())),
  )
})
