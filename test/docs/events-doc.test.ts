import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { ActivityType } from "../../src/domain/activity/activity-event"
import { eventClassification } from "../../src/domain/events/event-classification"

describe("docs/events.md", () => {
  it("classifies every event type as eventClassification does", () => {
    const guide = readFileSync(join(import.meta.dirname, "..", "..", "docs", "events.md"), "utf8")
    const rows = [...guide.matchAll(/^\| `([a-z_.]+)` \| (internal|shareable) \|\s*(.*?)\s*\|$/gm)].map(([, type, visibility, fields]) => [
      type,
      { visibility, fields: [...fields!.matchAll(/`([A-Za-z]+)`/g)].map((m) => m[1]) },
    ])
    const expected = ActivityType.options.map((type) => [
      type,
      { visibility: eventClassification[type].visibility, fields: [...eventClassification[type].shareableFields] },
    ])
    expect(rows).toEqual(expected)
  })
})
