import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { TestClock } from "effect/testing"
import { makeMemoryStorage } from "../../src/adapters/memory"
import { NotFoundError, VersionConflictError } from "../../src/domain/shared/errors"
import { rmcLayer } from "../../src/facade/rmc-layer"
import { Storage } from "../../src/ports/storage"
import { operations } from "../../src/use-cases/catalog"
import { useCases } from "../../src/use-cases"
import { principals } from "./fixture"

const layer = () => rmcLayer({ storage: Layer.succeed(Storage, makeMemoryStorage()) })

describe("the Effect API", () => {
  it("has one use case per operation of the catalog", () => {
    expect(Object.keys(useCases).sort()).toEqual(Object.keys(operations).sort())
  })

  it.effect("runs operations as effects with typed failures", () =>
    Effect.gen(function* () {
      const contact = yield* useCases.createContact(principals.alice, { fullName: "Camille Martin", primaryPhone: "0612345678" })
      const conversation = yield* useCases.openConversation(principals.alice, { contactId: contact.id, channel: "sms" })
      const missing = yield* Effect.flip(useCases.getContact(principals.eve, { contactId: contact.id }))
      expect(missing).toBeInstanceOf(NotFoundError)
      yield* useCases.setConversationStatus(principals.alice, { conversationId: conversation.id, status: "pending" })
      const conflict = yield* useCases
        .setConversationStatus(principals.alice, { conversationId: conversation.id, status: "resolved", expectedVersion: 1 })
        .pipe(Effect.catchTag("VersionConflictError", (e) => Effect.succeed(e)))
      expect(conflict).toBeInstanceOf(VersionConflictError)
    }).pipe(Effect.provide(layer())),
  )

  it.effect("reads time from Effect's clock, so tests drive it", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(Date.parse("2030-01-01T00:00:00Z"))
      const contact = yield* useCases.createContact(principals.alice, { fullName: "Time Traveller" })
      expect(contact.createdAt).toBe("2030-01-01T00:00:00.000Z")
    }).pipe(Effect.provide(layer())),
  )
})
