import { readFileSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { describe, expect, it } from "vitest"

const src = join(import.meta.dirname, "..", "..", "..", "src")

/** Every source file `rmc-details/events` loads, following relative imports from its entry. */
const moduleGraph = (entry: string): Map<string, string> => {
  const files = new Map<string, string>()
  const visit = (file: string) => {
    if (files.has(file)) return
    const text = readFileSync(file, "utf8")
    files.set(file, text)
    for (const [, specifier] of text.matchAll(/^\s*(?:import|export)[^"']*?from\s+["'](\.[^"']+)["']/gm))
      visit(`${resolve(dirname(file), specifier!)}.ts`.replace(/\/index\.ts\.ts$/, "/index.ts"))
  }
  visit(entry)
  return files
}

describe("rmc-details/events", () => {
  it("loads no Node built-in, no Buffer and no broker driver, so it runs on Bun, Deno and edge runtimes", () => {
    const graph = moduleGraph(join(src, "adapters", "events", "index.ts"))
    expect(graph.size).toBeGreaterThan(8)
    const offending: Array<string> = []
    for (const [file, text] of graph) {
      const code = text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "")
      for (const [, specifier] of code.matchAll(/from\s+["']([^"'.][^"']*)["']/g)) {
        if (!["effect", "zod"].includes(specifier!)) offending.push(`${file} imports ${specifier}`)
      }
      if (/\bBuffer\b|\bprocess\./.test(code)) offending.push(`${file} uses Buffer or process`)
    }
    expect(offending).toEqual([])
  })
})
