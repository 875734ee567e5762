// Fails when a dependency or dev dependency is used nowhere: imported by no source, test, bench,
// example, demo or script, and run by no npm script nor CI step. An unused package is install
// time, audit noise and attack surface for nothing.
import { readdirSync, readFileSync, statSync } from "node:fs"
import { isBuiltin } from "node:module"
import { join, resolve } from "node:path"
import ts from "typescript"

const root = resolve(import.meta.dirname, "..")
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"))

/** Packages used without being imported or run by name, and why. */
const usedOtherwise = {
  node: "runs the npm scripts on Node 24 from node_modules/.bin on a machine whose own Node is older",
  "@types/node": "the Node types of tsconfig.json's `types`",
  "openapi-fetch": "the client whose calls to a generated API test/adapters/http/openapi-client.test.ts type-checks (imported by the code it compiles)",
}

const packageOf = (specifier) => {
  const parts = specifier.split("/")
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]
}

const files = []
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name.startsWith(".")) continue
    const path = join(dir, name)
    if (statSync(path).isDirectory()) walk(path)
    else if (/\.(c|m)?(t|j)s$/.test(name) && !name.endsWith(".d.ts")) files.push(path)
  }
}
for (const dir of ["src", "test", "bench", "examples", "demo", "scripts"]) walk(join(root, dir))
for (const name of readdirSync(root)) if (/\.config\.(c|m)?(t|j)s$/.test(name)) files.push(join(root, name))

const imported = new Set()
for (const file of files) {
  const source = readFileSync(file, "utf8")
  for (const { fileName } of ts.preProcessFile(source, true, true).importedFiles) {
    if (!fileName.startsWith(".") && !isBuiltin(fileName)) imported.add(packageOf(fileName))
  }
  // createRequire(...)("name") and resolve calls are not import statements.
  for (const match of source.matchAll(/\)\(\s*["']([^"'./][^"']*)["']\s*\)/g)) imported.add(packageOf(match[1]))
}

/** The commands the npm scripts, the CI script and the check scripts run. */
const commands = [
  ...Object.values(pkg.scripts),
  readFileSync(join(root, ".ci", "run"), "utf8"),
  ...files.filter((f) => f.includes("/scripts/")).map((f) => readFileSync(f, "utf8")),
].join("\n")
const binsOf = (name) => {
  try {
    const own = JSON.parse(readFileSync(join(root, "node_modules", name, "package.json"), "utf8"))
    return typeof own.bin === "string" ? [own.name.split("/").pop()] : Object.keys(own.bin ?? {})
  } catch {
    return []
  }
}
const runs = (name) => binsOf(name).some((bin) => new RegExp(`(^|[\\s"'(/])${bin.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(["'\\s),]|$)`, "m").test(commands))

const unused = []
for (const name of Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })) {
  if (usedOtherwise[name] || imported.has(name) || runs(name)) continue
  // @types/x is used when x is.
  if (name.startsWith("@types/")) {
    const typed = name.slice("@types/".length).replace(/^(.+)__(.+)$/, "@$1/$2")
    if (imported.has(typed)) continue
  }
  unused.push(name)
}
if (unused.length > 0) {
  console.error(`Dependencies used nowhere (remove them, or say in scripts/check-dependencies.mjs why they stay):\n  ${unused.join("\n  ")}`)
  process.exit(1)
}
console.log(`every one of the ${Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).length} dependencies is used`)
