import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { Table } from "../../../src/adapters/memory/table"

interface Row {
  readonly group: string
  readonly tag: string | null
  readonly n: number
}

const empty = () => Table.empty<Row, "group" | "tag">({ group: (r) => r.group, tag: (r) => r.tag })

const operation = fc.oneof(
  fc.record({
    kind: fc.constant("set" as const),
    key: fc.constantFrom("a", "b", "c", "d", "e"),
    row: fc.record({ group: fc.constantFrom("x", "y", "z"), tag: fc.option(fc.constantFrom("red", "blue"), { nil: null }), n: fc.integer() }),
  }),
  fc.record({ kind: fc.constant("remove" as const), key: fc.constantFrom("a", "b", "c", "d", "e", "f") }),
)

/** What each index should answer, worked out from the rows alone. */
const filed = (rows: ReadonlyMap<string, Row>, by: (r: Row) => string | null, value: string) =>
  [...rows.values()].filter((r) => by(r) === value).sort((a, b) => a.n - b.n)

const sorted = (rows: ReadonlyArray<Row>) => [...rows].sort((a, b) => a.n - b.n)

describe("Table", () => {
  it("answers like a map with indexes worked out from its rows, and every earlier version stays as it was", () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 40 }), (operations) => {
        const versions: Array<{ table: Table<Row, "group" | "tag">; model: Map<string, Row> }> = [{ table: empty(), model: new Map() }]
        for (const op of operations) {
          const { table, model } = versions.at(-1)!
          const next = new Map(model)
          if (op.kind === "set") next.set(op.key, op.row)
          else next.delete(op.key)
          versions.push({ table: op.kind === "set" ? table.set(op.key, op.row) : table.remove(op.key), model: next })
        }
        for (const { table, model } of versions) {
          for (const key of ["a", "b", "c", "d", "e", "f"]) {
            expect(table.get(key)).toEqual(model.get(key))
            expect(table.has(key)).toBe(model.has(key))
          }
          for (const group of ["x", "y", "z"]) expect(sorted(table.find("group", group))).toEqual(filed(model, (r) => r.group, group))
          for (const tag of ["red", "blue"]) expect(sorted(table.find("tag", tag))).toEqual(filed(model, (r) => r.tag, tag))
        }
      }),
      { numRuns: 200 },
    )
  })

  it("leaves a row with a null index key out of that index", () => {
    const table = empty().set("a", { group: "x", tag: null, n: 1 })
    expect(table.find("tag", "null")).toEqual([])
    expect(table.find("group", "x")).toEqual([{ group: "x", tag: null, n: 1 }])
  })
})
