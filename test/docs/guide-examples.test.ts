import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
// The guides' conformance examples run here, as a user's test file runs them.
import "../../examples/conformance/storage"
import "../../examples/conformance/telephony"

const root = join(import.meta.dirname, "..", "..")
const blocks = (doc: string) => [...readFileSync(join(root, "docs", doc), "utf8").matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!.trim())
const example = (file: string) => readFileSync(join(root, "examples", "conformance", file), "utf8").trim()

describe("the testing guides' conformance examples", () => {
  const shown: Array<[string, string]> = [
    ["testing.md", "storage.ts"],
    ["custom-adapters.md", "storage.ts"],
    ["custom-adapters.md", "telephony.ts"],
  ]
  for (const [doc, file] of shown) {
    it(`docs/${doc} shows examples/conformance/${file} whole and word for word`, () => {
      expect(blocks(doc)).toContain(example(file))
    })
  }
})
