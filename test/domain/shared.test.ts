import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { decodeCursor, decodeNameCursor, encodeCursor, encodeNameCursor } from "../../src/domain/shared/page"
import { hasRole, type Role } from "../../src/domain/shared/principal"

const numRuns = Number(process.env.RMC_NUM_RUNS ?? 200)

describe("cursors", () => {
  it("decode what they encode, for any timestamp and id", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 64 }), fc.string({ maxLength: 128 }), (at, id) => {
        expect(decodeCursor(encodeCursor({ at, id }))).toEqual({ at, id })
      }),
      { numRuns },
    )
  })

  it("of lists sorted by name decode what they encode, and are never taken for cursors of lists sorted by time, nor the reverse", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), fc.string({ maxLength: 128 }), (name, id) => {
        const byName = encodeNameCursor({ name, id })
        expect(decodeNameCursor(byName)).toEqual({ name, id })
        expect(byName).toMatch(/^[A-Za-z0-9_-]*$/)
        expect(decodeCursor(byName)).toBeUndefined()
        expect(decodeNameCursor(encodeCursor({ at: name.slice(0, 64), id }))).toBeUndefined()
      }),
      { numRuns },
    )
  })

  it("are URL-safe", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 64 }), fc.uuid(), (at, id) => {
        expect(encodeCursor({ at, id })).toMatch(/^[A-Za-z0-9_-]*$/)
      }),
      { numRuns },
    )
  })

  it("reject anything that is not a cursor of this API", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const decoded = decodeCursor(text)
        if (decoded !== undefined) expect(encodeCursor(decoded)).toBe(text.replace(/=+$/, ""))
      }),
      { numRuns },
    )
    expect(decodeCursor("not a cursor")).toBeUndefined()
    expect(decodeCursor(btoa(JSON.stringify({ at: 1 })))).toBeUndefined()
  })

  it("reject a cursor that decodes to a control character or a lone surrogate, which no store holds", () => {
    for (const [at, id] of [
      ["2026-01-01T00:00:00.000Z", "\u0000"],
      ["2026\u0000", "x"],
      ["2026-01-01T00:00:00.000Z", "a\uD800"],
      ["\u001B", "x"],
    ] as const) {
      expect(decodeCursor(encodeCursor({ at, id })), JSON.stringify([at, id])).toBeUndefined()
    }
  })
})

describe("roles", () => {
  const order: ReadonlyArray<Role> = ["agent", "supervisor", "admin"]
  it("are ordered agent < supervisor < admin", () => {
    for (const [i, role] of order.entries()) {
      for (const [j, needed] of order.entries()) {
        expect(hasRole({ tenantId: "t", agentId: "a", role }, needed)).toBe(i >= j)
      }
    }
  })
})
