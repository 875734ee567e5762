// Type-checks every ```ts example of the API reference. Reads the JSON model that TypeDoc writes next
// to the reference, writes each example as a module of its own (it imports from the package by name,
// mapped to the sources by tsconfig.json's paths), checks them all in one tsc program and fails on
// any error, naming the export whose example it is.
import { execFileSync } from "node:child_process"
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join, resolve } from "node:path"

const root = resolve(import.meta.dirname, "..")
const model = JSON.parse(readFileSync(process.argv[2] ?? join(root, "docs/api/api.json"), "utf8"))
const out = join(root, ".tmp", "examples")

/** Every ```ts block of a reflection's comments (its own, its signatures'), with where it comes from. */
const examples = []
const collect = (reflection, path) => {
  const comments = [reflection.comment, ...(reflection.signatures ?? []).map((s) => s.comment)]
  for (const comment of comments) {
    for (const tag of comment?.blockTags ?? []) {
      if (tag.tag !== "@example") continue
      const text = tag.content.map((part) => part.text).join("")
      for (const match of text.matchAll(/```(?:ts|typescript)\n([\s\S]*?)```/g)) examples.push({ owner: path.join(": "), code: match[1] })
    }
  }
  for (const child of reflection.children ?? []) collect(child, [...path, child.name])
}
for (const module of model.children ?? []) collect(module, [module.name])
if (examples.length === 0) throw new Error("no ```ts example found: is this TypeDoc's JSON model?")

rmSync(out, { recursive: true, force: true })
mkdirSync(out, { recursive: true })
const owners = new Map()
examples.forEach(({ owner, code }, index) => {
  const file = `example-${String(index).padStart(4, "0")}.ts`
  owners.set(file, owner)
  // `export {}` makes each example a module: its names do not meet the other examples'.
  writeFileSync(join(out, file), `${code}\nexport {}\n`)
})
writeFileSync(join(out, "tsconfig.json"), JSON.stringify({ extends: "../../tsconfig.json", compilerOptions: { noUnusedLocals: false }, include: ["./*.ts"] }))

let output = ""
try {
  execFileSync(join(root, "node_modules", ".bin", "tsc"), ["--noEmit", "--pretty", "false", "-p", join(out, "tsconfig.json")], { cwd: root, encoding: "utf8" })
} catch (error) {
  output = `${error.stdout ?? ""}${error.stderr ?? ""}`
  if (!output.trim()) throw error
}
if (output.trim()) {
  // tsc names the example file: name the export instead, with the line inside its example.
  const named = output
    .trim()
    .split("\n")
    .map((line) => {
      const match = /(example-\d+\.ts)\((\d+),(\d+)\): (.*)$/.exec(line)
      return match ? `${owners.get(match[1])} (example line ${match[2]}): ${match[4]}` : line
    })
  console.error(`Examples that do not compile:\n  ${named.join("\n  ")}`)
  process.exit(1)
}
console.log(`${examples.length} examples compile`)
