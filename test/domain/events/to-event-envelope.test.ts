import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { type ActivityEvent, ActivityType } from "../../../src/domain/activity/activity-event"
import { decodeBrokerToken, encodeBrokerToken, eventRoutingKey } from "../../../src/domain/events/broker-token"
import { type EventClassification, eventClassification } from "../../../src/domain/events/event-classification"
import { EventEnvelope } from "../../../src/domain/events/event-envelope"
import { envelopeForAudience, toEventEnvelope } from "../../../src/domain/events/to-event-envelope"
import { activityEvent } from "../../../src/testing"
import { contactWithConversation, fixture } from "../../use-cases/fixture"

const numRuns = Number(process.env.RMC_NUM_RUNS ?? 100)
const secret = "S3CR3T-MARKER"

// Events whose before/after hold a marked value under every key a use case writes, shareable or not.
const markedEvent = activityEvent("acme", "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11", "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c12").chain((event) =>
  fc
    .subarray(["body", "subject", "fullName", "to", "reason", "email", "phones", "status", "name", "labelId"], { minLength: 1 })
    .map((keys): ActivityEvent => ({ ...event, after: Object.fromEntries(keys.map((k) => [k, `${secret}-${k}`])), before: event.before })),
)

describe("the event envelope", () => {
  it("classifies every event type, and the compiler refuses a table that leaves one out", () => {
    expect(Object.keys(eventClassification).sort()).toEqual([...ActivityType.options].sort())
    const { "note.added": _left, ...rest } = eventClassification
    // @ts-expect-error a type left out of the table does not compile
    const incomplete: { readonly [T in ActivityType]: EventClassification } = rest
    expect(Object.keys(incomplete)).toHaveLength(ActivityType.options.length - 1)
  })

  it("keeps notes internal and never lets a withheld value reach a shareable audience", () => {
    fc.assert(
      fc.property(markedEvent, (event) => {
        const internal = toEventEnvelope(event)
        expect(EventEnvelope.parse(internal)).toEqual(internal)
        expect(internal.data.after).toEqual(event.after)
        const shareable = toEventEnvelope(event, "shareable")
        const classification = eventClassification[event.type]
        if (classification.visibility === "internal") {
          expect(shareable).toBeUndefined()
          return
        }
        expect(shareable).toBeDefined()
        expect(EventEnvelope.parse(shareable)).toEqual(shareable)
        const allowed = new Set(classification.shareableFields)
        const text = JSON.stringify(shareable)
        for (const key of Object.keys(event.after ?? {})) {
          if (allowed.has(key)) expect(shareable!.data.after?.[key]).toBe(`${secret}-${key}`)
          else {
            expect(text).not.toContain(`${secret}-${key}`)
            expect(shareable!.redacted).toContain(key)
          }
        }
        // Narrowing again changes nothing; an internal audience gets the shareable envelope as it is.
        expect(envelopeForAudience(shareable!, "shareable")).toEqual(shareable)
        expect(envelopeForAudience(shareable!, "internal")).toEqual(shareable)
      }),
      { numRuns },
    )
  })

  it("publishes no note body, name or phone number to a shareable audience from real use cases", async () => {
    const f = fixture()
    const { contact, conversation } = await contactWithConversation(f)
    const note = await f.alice.addNote({ subject: { kind: "conversation", id: conversation.id }, body: "Customer is angry about invoice 42" })
    await f.alice.editNote({ noteId: note.id, body: "Customer angry about invoice 43" })
    await f.alice.deleteNote({ noteId: note.id })
    await f.alice.addNote({ subject: { kind: "contact", id: contact.id }, body: "Call back once invoice 44 is paid" })
    await f.alice.updateContact({ contactId: contact.id, fullName: "Camille Dupont", phones: ["01 98 76 54 32"] })
    await f.alice.callContact({ conversationId: conversation.id, idempotencyKey: "k-1" })
    await f.alice.setConversationStatus({ conversationId: conversation.id, status: "resolved" })
    const events = (await f.rmc.readOutbox(0, 1000)).map((entry) => entry.event)
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(["note.added", "note.deleted", "contact.updated", "call.requested", "conversation.status_changed"]),
    )
    const shareable = events.map((e) => toEventEnvelope(e, "shareable")).filter((e) => e !== undefined)
    const published = JSON.stringify(shareable)
    for (const personal of ["invoice", "Camille", "Martin", "Dupont", "+336", "+331", "0612", "0198"]) expect(published).not.toContain(personal)
    expect(shareable.some((e) => e.type.startsWith("note."))).toBe(false)
    const updated = shareable.find((e) => e.type === "contact.updated")!
    expect(updated.redacted).toEqual(expect.arrayContaining(["fullName"]))
    expect(shareable.find((e) => e.type === "conversation.status_changed")!.data.after).toEqual({ status: "resolved" })
    // The internal audience gets everything, the bodies of live notes included, but nothing of a deleted note's text.
    const internal = JSON.stringify(events.map((e) => toEventEnvelope(e)))
    expect(internal).toContain("invoice 44")
    expect(internal).not.toContain("invoice 42")
    expect(internal).not.toContain("invoice 43")
    await f.rmc.dispose()
  })

  it("encodes tenant ids as broker tokens reversibly and without subject syntax", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }), (value) => {
        const token = encodeBrokerToken(value)
        expect(token).toMatch(/^[A-Za-z0-9_~-]+$/)
        expect(decodeBrokerToken(token)).toBe(value)
      }),
      { numRuns },
    )
    expect(encodeBrokerToken("acme.eu")).not.toBe(encodeBrokerToken("acme~2Eeu"))
    expect(eventRoutingKey({ tenantId: "a.b:c@d", type: "note.added" })).toBe("a~2Eb~3Ac~40d.note.added")
  })
})
