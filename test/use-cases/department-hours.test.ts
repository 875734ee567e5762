import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { TestClock } from "effect/testing"
import { makeMemoryStorage } from "../../src/adapters/memory"
import { rmcLayer } from "../../src/facade/rmc-layer"
import { Storage } from "../../src/ports/storage"
import { useCases } from "../../src/use-cases"
import { principals } from "./fixture"

const layer = () => rmcLayer({ storage: Layer.succeed(Storage, makeMemoryStorage()) })
const weekdays = (opens: string, closes: string) => [1, 2, 3, 4, 5].map((day) => ({ day, opens, closes }))

/** A tenant whose Support department keeps office hours in `timeZone`, with a night desk as fallback. */
const officeHours = (timeZone: string) =>
  Effect.gen(function* () {
    const support = yield* useCases.createDepartment(principals.root, { name: "Support" })
    const night = yield* useCases.createDepartment(principals.root, { name: "Night desk" })
    yield* useCases.configureTenant(principals.root, {
      routing: { departments: { [support.id]: { businessHours: { timeZone, weekly: weekdays("09:00", "18:00") }, fallbackDepartmentId: night.id } } },
    })
    const contact = yield* useCases.createContact(principals.alice, { fullName: "Camille Martin" })
    const conversation = yield* useCases.openConversation(principals.alice, { contactId: contact.id, channel: "sms", departmentId: support.id })
    const opening = Effect.map(useCases.getDetails(principals.alice, { conversationId: conversation.id }), (d) => d.routing.department)
    const transferTo = (departmentId: string) =>
      useCases.transferConversation(principals.alice, { conversationId: conversation.id, toDepartmentId: departmentId })
    return { support, night, conversation, opening, transferTo }
  })

describe("department business hours on the clock", () => {
  it.effect("follow Paris office hours across the March change", () =>
    Effect.gen(function* () {
      // Friday 26 March 2027, 17:30 in Paris (UTC+1).
      yield* TestClock.setTime(Date.parse("2027-03-26T16:30:00.000Z"))
      const { support, night, opening, transferTo } = yield* officeHours("Europe/Paris")
      expect(yield* opening).toMatchObject({ departmentId: support.id, open: true, nextOpeningAt: null })
      yield* TestClock.adjust("1 hour")
      // Closed over the weekend; clocks go forward on Sunday: Monday 09:00 is 07:00 UTC.
      expect(yield* opening).toMatchObject({ open: false, nextOpeningAt: "2027-03-29T07:00:00.000Z", fallbackDepartmentId: night.id })
      yield* TestClock.setTime(Date.parse("2027-03-29T06:59:00.000Z"))
      expect((yield* opening)?.open).toBe(false)
      // A transfer to Support while it is closed goes to the night desk.
      expect((yield* transferTo(night.id)).departmentId).toBe(night.id)
      expect((yield* transferTo(support.id)).departmentId).toBe(night.id)
      yield* TestClock.adjust("1 minute")
      expect((yield* transferTo(support.id)).departmentId).toBe(support.id)
      expect(yield* opening).toMatchObject({ open: true, nextOpeningAt: null })
    }).pipe(Effect.provide(layer())),
  )

  it.effect("follow Paris office hours across the October change", () =>
    Effect.gen(function* () {
      // Friday 29 October 2027, 18:30 in Paris (UTC+2): closed until Monday 09:00 UTC+1.
      yield* TestClock.setTime(Date.parse("2027-10-29T16:30:00.000Z"))
      const { opening } = yield* officeHours("Europe/Paris")
      expect(yield* opening).toMatchObject({ open: false, nextOpeningAt: "2027-11-01T08:00:00.000Z" })
      yield* TestClock.setTime(Date.parse("2027-11-01T07:59:00.000Z"))
      expect((yield* opening)?.open).toBe(false)
      yield* TestClock.adjust("1 minute")
      expect((yield* opening)?.open).toBe(true)
      yield* TestClock.adjust("9 hours")
      expect(yield* opening).toMatchObject({ open: false, nextOpeningAt: "2027-11-02T08:00:00.000Z" })
    }).pipe(Effect.provide(layer())),
  )

  it.effect("follow New York office hours across both changes", () =>
    Effect.gen(function* () {
      // Friday 12 March 2027, 18:00 in New York (UTC-5): Monday 09:00 is UTC-4 after Sunday's change.
      yield* TestClock.setTime(Date.parse("2027-03-12T23:00:00.000Z"))
      const { opening } = yield* officeHours("America/New_York")
      expect(yield* opening).toMatchObject({ open: false, nextOpeningAt: "2027-03-15T13:00:00.000Z" })
      yield* TestClock.setTime(Date.parse("2027-03-15T13:00:00.000Z"))
      expect((yield* opening)?.open).toBe(true)
      // Friday 5 November 2027, 19:00 (UTC-4): Monday 09:00 is UTC-5 after Sunday's change.
      yield* TestClock.setTime(Date.parse("2027-11-05T23:00:00.000Z"))
      expect(yield* opening).toMatchObject({ open: false, nextOpeningAt: "2027-11-08T14:00:00.000Z" })
      yield* TestClock.setTime(Date.parse("2027-11-08T13:59:59.000Z"))
      expect((yield* opening)?.open).toBe(false)
      yield* TestClock.adjust("1 second")
      expect((yield* opening)?.open).toBe(true)
    }).pipe(Effect.provide(layer())),
  )

  it.effect("refuse a transfer to a department closed with no fallback, and let a 0.1.0 tenant transfer to any agent id", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(Date.parse("2027-03-27T12:00:00.000Z"))
      const sales = yield* useCases.createDepartment(principals.root, { name: "Sales" })
      yield* useCases.configureTenant(principals.root, {
        routing: { departments: { [sales.id]: { businessHours: { timeZone: "Europe/Paris", weekly: weekdays("09:00", "18:00"), closures: [] } } } },
      })
      const contact = yield* useCases.createContact(principals.alice, { fullName: "Camille Martin" })
      const conversation = yield* useCases.openConversation(principals.alice, { contactId: contact.id, channel: "sms" })
      const refused = yield* Effect.flip(useCases.assignDepartment(principals.alice, { conversationId: conversation.id, departmentId: sales.id }))
      expect(refused).toMatchObject({ code: "transfer_refused", reason: "department_closed", target: sales.id })
      const moved = yield* useCases.transferConversation(principals.alice, { conversationId: conversation.id, toAgentId: "anyone-at-all" })
      expect(moved.assigneeId).toBe("anyone-at-all")
      expect((yield* useCases.getDetails(principals.alice, { conversationId: conversation.id })).routing).toEqual({
        department: null,
        departments: null,
        agents: null,
      })
    }).pipe(Effect.provide(layer())),
  )
})
