import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it, vi } from "vitest"

const root = join(import.meta.dirname, "..", "..")
const examples = readdirSync(join(root, "examples")).filter((f) => f.endsWith(".ts"))

describe("the README's quick starts", () => {
  it("are the example files, word for word", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8")
    const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!)
    expect(blocks.length).toBeGreaterThanOrEqual(examples.length)
    for (const file of examples) {
      const source = readFileSync(join(root, "examples", file), "utf8")
      expect(
        blocks.some((block) => source.includes(block.trim())),
        `${file} appears in the README`,
      ).toBe(true)
    }
  })

  for (const file of examples) {
    it(`examples/${file} runs`, async () => {
      vi.spyOn(console, "log").mockImplementation(() => undefined)
      const module = (await import(`../../examples/${file}`)) as { main(): Promise<unknown> }
      expect(await module.main()).toBeTruthy()
    })
  }
})
