// Fails when a public export of the package has no example in its documentation.
// Reads the JSON model that TypeDoc writes next to the API reference.
import { readFileSync } from "node:fs"

const model = JSON.parse(readFileSync(process.argv[2] ?? "docs/api/api.json", "utf8"))
const exported = new Set([64, 128, 256, 2097152, 32, 4]) // function, class, interface, type alias, variable, namespace kinds
const hasExample = (reflection) =>
  [reflection.comment, ...(reflection.signatures ?? []).map((s) => s.comment)].some((comment) =>
    (comment?.blockTags ?? []).some((tag) => tag.tag === "@example"),
  )
const missing = []
for (const module of model.children ?? []) {
  // A schema and its inferred type share a name: the schema's example documents both.
  const documented = new Set((module.children ?? []).filter(hasExample).map((r) => r.name))
  for (const reflection of module.children ?? []) {
    if (exported.has(reflection.kind) && !documented.has(reflection.name)) missing.push(`${module.name}: ${reflection.name}`)
  }
}
if (missing.length > 0) {
  console.error(`Public exports without an example:\n  ${missing.join("\n  ")}`)
  process.exit(1)
}
console.log("every public export has an example")
