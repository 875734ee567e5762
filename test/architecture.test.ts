import { readdirSync, readFileSync } from "node:fs"
import { join, relative } from "node:path"
import { describe, expect, it } from "vitest"

const root = join(import.meta.dirname, "..", "src")

const filesUnder = (dir: string): Array<string> =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : entry.name.endsWith(".ts") ? [join(dir, entry.name)] : [],
  )

const importsOf = (file: string): Array<string> =>
  [...readFileSync(file, "utf8").matchAll(/^\s*(?:import|export)[^"']*?from\s+["']([^"']+)["']/gm)].map((m) => m[1]!)

/** Which imports each layer may not have: the domain is pure, ports and use cases know no adapter. */
const rules: ReadonlyArray<{ layer: string; forbidden: RegExp }> = [
  { layer: "domain", forbidden: /^(node:|kysely|hono|@hono|pg$|mysql2|@electric-sql)|\/(ports|use-cases|facade|adapters|testing)\// },
  { layer: "ports", forbidden: /^(node:|kysely|hono|@hono|pg$|mysql2|@electric-sql)|\/(use-cases|facade|adapters|testing)\// },
  { layer: "use-cases", forbidden: /^(node:|kysely|hono|@hono|pg$|mysql2|@electric-sql)|\/(facade|adapters|testing)\// },
]

describe("dependency rules", () => {
  for (const { layer, forbidden } of rules) {
    it(`${layer}/ imports no adapter, driver or outer layer`, () => {
      const files = filesUnder(join(root, layer))
      expect(files.length).toBeGreaterThan(0)
      const offending = files.flatMap((file) =>
        importsOf(file)
          .filter((specifier) => forbidden.test(specifier))
          .map((specifier) => `${relative(root, file)} -> ${specifier}`),
      )
      expect(offending).toEqual([])
    })
  }
})

describe("commands", () => {
  // These change several records at once (values and their subject, a whole catalog of contact
  // types, everything known of a contact, two contacts and all their records), not one record
  // through one transition.
  const manyRecords = ["configure-tenant.ts", "erase-contact.ts", "merge-contacts.ts", "set-attributes.ts"]

  it("check a caller's expected version through runCommand, except those that write several records", () => {
    const useCases = join(root, "use-cases")
    const checking = filesUnder(useCases)
      .filter((file) => /\bexpectVersion\(/.test(readFileSync(file, "utf8")))
      .map((file) => relative(useCases, file))
      .sort()
    expect(checking).toEqual(["support/command.ts", ...manyRecords].sort())
  })
})
