import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { capabilitiesOf, type SqlDialect } from "../../../src/adapters/kysely"

const root = join(import.meta.dirname, "../../../src/adapters/kysely")
const sources = (dir: string): Array<string> =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith(".ts") ? [join(dir, entry.name)] : [],
  )

describe("dialect capabilities", () => {
  it("are the only place the store and its migrations learn what differs between SQL families", () => {
    // Opening a database picks a driver by dialect; everything else asks the capability table.
    const allowed = new Set(["dialect.ts", "create-database.ts"])
    const checks = sources(root)
      .filter((file) => !allowed.has(file.slice(root.length + 1)))
      .flatMap((file) =>
        readFileSync(file, "utf8")
          .split("\n")
          .map((line, i) => ({ where: `${file.slice(root.length + 1)}:${i + 1}`, line }))
          .filter(({ line }) => /\bdialect\s*[!=]==|[!=]==\s*["'](postgres|mysql|sqlite|pglite)["']/.test(line)),
      )
    expect(checks).toEqual([])
  })

  it("describe every family with a value for every flag", () => {
    const dialects: Array<SqlDialect> = ["postgres", "mysql", "sqlite"]
    const flags = ["supportsIsolationLevels", "supportsDataModifyingCte", "supportsExtendedStatistics", "supportsSchemas"] as const
    for (const dialect of dialects) {
      const c = capabilitiesOf(dialect)
      expect(c.dialect).toBe(dialect)
      for (const flag of flags) expect(typeof c[flag]).toBe("boolean")
    }
    expect(capabilitiesOf("postgres").supportsDataModifyingCte).toBe(true)
    expect(capabilitiesOf("sqlite").supportsIsolationLevels).toBe(false)
  })
})
