import { DiagnosticSeverity, Parser } from "@asyncapi/parser"
import { describe, expect, it } from "vitest"
import { asyncApiDocument } from "../../../src/adapters/events/asyncapi"
import { ActivityType } from "../../../src/domain/activity/activity-event"
import { eventClassification } from "../../../src/domain/events/event-classification"

describe("the AsyncAPI document", () => {
  it("is a valid AsyncAPI 3.0 document with no error or warning from the official parser", async () => {
    const document = asyncApiDocument({ natsUrl: "127.0.0.1:4222", amqpUrl: "127.0.0.1:5672" })
    const { document: parsed, diagnostics } = await new Parser().parse(JSON.stringify(document))
    const problems = diagnostics.filter((d) => d.severity <= DiagnosticSeverity.Warning).map((d) => `${d.path.join(".")}: ${d.message}`)
    expect(problems).toEqual([])
    expect(parsed).toBeDefined()
    expect(parsed!.version()).toBe("3.0.0")
    expect(
      parsed!
        .messages()
        .all()
        .map((m) => m.name())
        .sort(),
    ).toEqual([...ActivityType.options].sort())
    expect(
      parsed!
        .channels()
        .all()
        .map((c) => c.address()),
    ).toEqual(expect.arrayContaining(["rmc.{tenant}.{eventType}", "{tenant}.{eventType}"]))
  })

  it("describes every event type with its classification and the envelope schema", () => {
    const document = asyncApiDocument()
    for (const type of ActivityType.options) {
      const message = document.components.messages[type.replace(".", "_")] as Record<string, unknown>
      expect(message["x-rmc-visibility"]).toBe(eventClassification[type].visibility)
      expect(message.payload).toMatchObject({ allOf: [{ $ref: "#/components/schemas/EventEnvelope" }, { properties: { type: { const: type } } }] })
    }
    const envelope = document.components.schemas.EventEnvelope as { required: Array<string>; properties: Record<string, unknown> }
    expect(envelope.required).toEqual(expect.arrayContaining(["id", "schemaVersion", "type", "tenantId", "occurredAt", "actor", "subject", "data", "redacted"]))
    expect(JSON.stringify(document)).not.toContain("#/definitions/")
  })
})
