import { type ChildProcess, spawn } from "node:child_process"
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect } from "effect"
import { afterAll, expect, it } from "vitest"
import { createKyselyDatabase, kyselyRelayStore, makeKyselyStorage, migrateToLatest } from "../../src/adapters/kysely"
import type { ActivityEvent } from "../../src/domain/activity/activity-event"

const dir = mkdtempSync(join(tmpdir(), "rmc-relay-crash-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
const lines = (file: string): Array<{ id: string; position: number; pid: number }> =>
  existsSync(file)
    ? readFileSync(file, "utf8")
        .split("\n")
        .filter((line) => line.length > 0)
        .map((line) => JSON.parse(line))
    : []

const child = (database: string, output: string, batch: number): ChildProcess =>
  spawn(process.execPath, ["--import", "tsx", join(import.meta.dirname, "relay-child.ts"), database, output, String(batch)], { stdio: "ignore" })

const exited = (process: ChildProcess) => new Promise<void>((resolve) => (process.exitCode !== null || process.signalCode !== null ? resolve() : process.once("exit", () => resolve())))

it("loses nothing when the relay is killed in the middle of a batch, and repeats only that batch", async () => {
  const database = join(dir, "outbox.sqlite")
  const output = join(dir, "published.jsonl")
  const batch = 25
  const { db, dialect } = await createKyselyDatabase({ dialect: "sqlite", path: database })
  await migrateToLatest(db, { dialect })
  const storage = makeKyselyStorage({ db, dialect })
  const events: Array<ActivityEvent> = Array.from({ length: 200 }, (_, i) => ({
    id: crypto.randomUUID(),
    tenantId: ["acme", "globex", "initech"][i % 3]!,
    type: "department.renamed",
    at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
    actorId: "sam",
    actorRole: "admin",
    subjectId: `department-${i}`,
    conversationId: null,
    contactId: null,
    before: null,
    after: { i },
  }))
  for (let i = 0; i < events.length; i += 4) await Effect.runPromise(storage.transaction((r) => r.activity.append(events.slice(i, i + 4))))

  const first = child(database, output, batch)
  // Kill it once it is well into the outbox, at a moment that is not a batch boundary.
  while (lines(output).length < 2 * batch + 7) await sleep(2)
  first.kill("SIGKILL")
  await exited(first)
  const store = kyselyRelayStore({ db, dialect })
  const checkpoint = (await Effect.runPromise(store.read("outbox")))!.position
  const beforeRestart = lines(output)
  const acknowledged = events.findIndex((e) => e.id === beforeRestart.find((l) => l.position === checkpoint)?.id) + 1
  // The batch under way when it died was published in part and not acknowledged.
  expect(beforeRestart.length).toBeGreaterThan(acknowledged)
  expect(beforeRestart.length).toBeLessThan(acknowledged + batch)

  const second = child(database, output, batch)
  try {
    while (new Set(lines(output).map((l) => l.id)).size < events.length) await sleep(10)
    await sleep(100)
  } finally {
    second.kill("SIGKILL")
    await exited(second)
    await db.destroy()
  }
  const published = lines(output)
  const ids = published.map((l) => l.id)
  // Nothing lost, and the first occurrences are in outbox order.
  expect([...new Set(ids)]).toEqual(events.map((e) => e.id))
  // The duplicates are exactly the unacknowledged part of the batch that was under way.
  const duplicated = ids.filter((id, i) => ids.indexOf(id) !== i)
  expect(duplicated).toEqual(beforeRestart.slice(acknowledged).map((l) => l.id))
  expect(duplicated.length).toBeGreaterThan(0)
  expect(duplicated.length).toBeLessThan(batch)
}, 60_000)
