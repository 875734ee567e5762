import { Effect, Layer } from "effect"
import { afterAll, describe, expect, it, type RunnerTestSuite } from "vitest"
import { makeMemoryStorage } from "../../src/adapters/memory"
import { Storage } from "../../src/ports/storage"
import { describeStorageConformance, storageSubSuiteNames } from "../../src/testing"

// A store whose layer holds a resource, like a pool: the suite must build it once, use it while it
// is held, and release it after the last test.
const lifecycle = { acquired: 0, released: 0 }
const pooled = Layer.effect(
  Storage,
  Effect.acquireRelease(
    Effect.sync(() => {
      lifecycle.acquired++
      const inner = makeMemoryStorage()
      const held = () => (lifecycle.released === 0 ? Effect.void : Effect.die(new Error("the store was used after its layer was released")))
      return Storage.of({
        transaction: (work) => Effect.andThen(held(), inner.transaction(work)),
        query: (work) => Effect.andThen(held(), inner.query(work)),
      })
    }),
    () => Effect.sync(() => void lifecycle.released++),
  ),
)

describe("a store's layer", () => {
  afterAll(() => {
    expect(lifecycle).toEqual({ acquired: 1, released: 1 })
  })
  describeStorageConformance("pooled", pooled, {
    only: ["settings", "idempotency", "notes"],
    skip: { notes: "notes are kept by another service" },
  })
})

// Walks the collected tree of this file to see what the suite declared.
const findSuite = (suite: RunnerTestSuite | { tasks: RunnerTestSuite["tasks"] }, name: string): RunnerTestSuite | undefined => {
  for (const task of suite.tasks) {
    if (task.type !== "suite") continue
    if (task.name === name) return task
    const inner = findSuite(task, name)
    if (inner !== undefined) return inner
  }
  return undefined
}

describe("selecting and skipping sub-suites", () => {
  it("runs the selected ones, shows a skipped one with its reason, and leaves the others out", ({ task }) => {
    const suite = findSuite(task.file, "storage conformance: pooled")!
    expect(suite.tasks.map((t) => [t.name, t.mode])).toEqual([
      ["idempotency", "run"],
      ["notes (skipped: notes are kept by another service)", "skip"],
      ["settings", "run"],
    ])
    const skipped = suite.tasks[1] as RunnerTestSuite
    expect(skipped.tasks.length).toBeGreaterThan(0)
    expect(skipped.tasks.every((t) => t.mode === "skip")).toBe(true)
  })

  it("refuses a name that is no sub-suite, and a skip without a reason", () => {
    // @ts-expect-error: "setings" is no sub-suite
    expect(() => describeStorageConformance("typo", pooled, { only: ["setings"] })).toThrow(/no sub-suite is named "setings"/)
    // @ts-expect-error: "races!" is no sub-suite
    expect(() => describeStorageConformance("typo", pooled, { skip: { "races!": "why" } })).toThrow(/no sub-suite is named "races!"/)
    expect(() => describeStorageConformance("no reason", pooled, { skip: { model: " " } })).toThrow(/give the reason for skipping "model"/)
    expect(() => describeStorageConformance("proto", pooled, JSON.parse('{"skip":{"__proto__":"x"}}'))).toThrow(/no sub-suite is named "__proto__"/)
  })

  it("lists every sub-suite", () => {
    expect(storageSubSuiteNames).toEqual(
      expect.arrayContaining(["settings", "contactsAndConversations", "catalogs", "notes", "tagging", "calls", "idempotency"]),
    )
    expect(storageSubSuiteNames).toEqual(
      expect.arrayContaining(["activityAndOutbox", "details", "searchAndReports", "transactions", "tenantIsolation", "model"]),
    )
  })
})
