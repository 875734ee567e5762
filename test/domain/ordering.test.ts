import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { compareText, nameOrder, newestFirst, orderBy, volumeOrder } from "../../src/domain/shared/ordering"
import { pageReadLimit, pageRows } from "../../src/domain/shared/page"

const numRuns = Number(process.env.RMC_NUM_RUNS ?? 200)
// Few distinct values: ties on the first key are common, and only the id breaks them.
const at = fc.constantFrom("2026-01-01T00:00:00.000Z", "2026-01-02T00:00:00.000Z", "2026-01-03T00:00:00.000Z")
const id = fc.constantFrom("a", "b", "c", "d")

describe("list orders", () => {
  it("newest first: later times first, then greater ids first; a total order", () => {
    fc.assert(
      fc.property(fc.record({ at, id }), fc.record({ at, id }), (a, b) => {
        expect(Math.sign(newestFirst(a, b)) + Math.sign(newestFirst(b, a))).toBe(0)
        expect(newestFirst(a, b) === 0).toBe(a.at === b.at && a.id === b.id)
        if (a.at !== b.at) expect(newestFirst(a, b)).toBe(a.at > b.at ? -1 : 1)
        else expect(newestFirst(a, b)).toBe(compareText(b.id, a.id))
      }),
      { numRuns },
    )
  })

  it("by name: A to Z, then by id; a total order", () => {
    fc.assert(
      fc.property(
        fc.record({ name: fc.constantFrom("billing", "sales", "support"), id }),
        fc.record({ name: fc.constantFrom("billing", "sales"), id }),
        (a, b) => {
          expect(Math.sign(nameOrder(a, b)) + Math.sign(nameOrder(b, a))).toBe(0)
          expect(nameOrder(a, b)).toBe(a.name !== b.name ? compareText(a.name, b.name) : compareText(a.id, b.id))
        },
      ),
      { numRuns },
    )
  })

  it("volume rows: most conversations first, then by key, the row without a key last among equals", () => {
    const rows = [
      { key: null, count: 2 },
      { key: "b", count: 2 },
      { key: "a", count: 1 },
      { key: "a", count: 2 },
    ]
    expect(rows.sort(volumeOrder)).toEqual([
      { key: "a", count: 2 },
      { key: "b", count: 2 },
      { key: null, count: 2 },
      { key: "a", count: 1 },
    ])
  })

  it("orders rows by their key", () => {
    const rows = [
      { createdAt: "2026-01-01T00:00:00.000Z", id: "b" },
      { createdAt: "2026-01-02T00:00:00.000Z", id: "a" },
      { createdAt: "2026-01-01T00:00:00.000Z", id: "c" },
    ]
    expect(rows.sort(orderBy(newestFirst, (r: (typeof rows)[number]) => ({ at: r.createdAt, id: r.id }))).map((r) => r.id)).toEqual(["a", "c", "b"])
  })
})

describe("the page rule", () => {
  it("reads one row more than the page; that row only says a next page exists", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), fc.nat({ max: 101 }), (limit, stored) => {
        const rows = Array.from({ length: Math.min(stored, pageReadLimit(limit)) }, (_, i) => i)
        const { items, hasNext } = pageRows(rows, limit)
        expect(items).toEqual(rows.slice(0, limit))
        expect(hasNext).toBe(stored > limit)
      }),
      { numRuns },
    )
  })
})
