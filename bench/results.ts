import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"

/** One measured operation: the SDK and its baseline in the same run, and their ratio. */
export interface BenchResult {
  readonly name: string
  readonly database: string
  readonly sdk_ms: number
  readonly baseline_ms: number
  readonly ratio: number
  readonly [extra: string]: unknown
}

const file = join(import.meta.dirname, "results.json")

/** Replaces the results of the given databases in bench/results.json, keeping the others. */
export const saveResults = (databases: ReadonlyArray<string>, results: ReadonlyArray<BenchResult>) => {
  const previous: Array<BenchResult> = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : []
  // Only this run's rows are replaced: other benchmarks keep theirs for the same databases.
  const names = new Set(results.map((r) => r.name))
  const kept = previous.filter((r) => !(databases.includes(r.database) && names.has(r.name)))
  writeFileSync(file, `${JSON.stringify([...kept, ...results], null, 2)}\n`)
}

/** Replaces the section between `<!-- name:start -->` and `<!-- name:end -->` of docs/benchmarks.md. */
export const saveSection = (name: string, markdown: string) => {
  const doc = join(import.meta.dirname, "..", "docs", "benchmarks.md")
  const start = `<!-- ${name}:start -->`
  const end = `<!-- ${name}:end -->`
  const current = existsSync(doc) ? readFileSync(doc, "utf8") : "# Benchmarks\n"
  const block = `${start}\n${markdown.trim()}\n${end}`
  const next = current.includes(start) ? current.replace(new RegExp(`${start}[\\s\\S]*?${end}`), block) : `${current.trimEnd()}\n\n${block}\n`
  writeFileSync(doc, next)
}

export const round = (value: number, digits = 3) => Number(value.toFixed(digits))

/** Replaces the rows of bench/results.json that have the same name and database as the given ones, keeping the others. */
export const saveRows = (results: ReadonlyArray<BenchResult>) => {
  const previous: Array<BenchResult> = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : []
  const replaced = new Set(results.map((r) => `${r.database}\u0000${r.name}`))
  const kept = previous.filter((r) => !replaced.has(`${r.database}\u0000${r.name}`))
  writeFileSync(file, `${JSON.stringify([...kept, ...results], null, 2)}\n`)
}
