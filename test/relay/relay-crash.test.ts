import { type ChildProcess, spawn } from "node:child_process"
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { jetstream, jetstreamManager } from "@nats-io/jetstream"
import { connect } from "@nats-io/transport-node"
import { Effect } from "effect"
import { afterAll, expect, it } from "vitest"
import { createKyselyDatabase, kyselyRelayStore, makeKyselyStorage, migrateToLatest } from "../../src/adapters/kysely"
import type { ActivityEvent } from "../../src/domain/activity/activity-event"
import { EventEnvelope } from "../../src/domain/events/event-envelope"
import { uniqueName } from "../adapters/events/sample-envelopes"

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

const child = (database: string, output: string, batch: number, sink: ReadonlyArray<string>): ChildProcess =>
  spawn(process.execPath, ["--import", "tsx", join(import.meta.dirname, "relay-child.ts"), database, output, String(batch), ...sink], { stdio: "ignore" })

const exited = (process: ChildProcess) =>
  new Promise<void>((resolve) => (process.exitCode !== null || process.signalCode !== null ? resolve() : process.once("exit", () => resolve())))

/**
 * Fills an outbox, starts a relay process with `sink` arguments, kills it (SIGKILL) in the middle of
 * a batch, starts another, and checks from the published lines that nothing was lost and that only
 * the unacknowledged part of the batch under way was published twice. Gives the events.
 */
const killAndRestart = async (name: string, sink: ReadonlyArray<string>) => {
  const database = join(dir, `${name}.sqlite`)
  const output = join(dir, `${name}.jsonl`)
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

  const first = child(database, output, batch, sink)
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

  const second = child(database, output, batch, sink)
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
  return events
}

it("loses nothing when the relay is killed in the middle of a batch, and repeats only that batch", async () => {
  await killAndRestart("file", [])
}, 60_000)

it("lets NATS JetStream drop the events a killed relay publishes again: the stream holds each once, in order", async () => {
  const servers = (process.env.RMC_TEST_NATS_URL ?? "nats://127.0.0.1:4222").replace(/^nats:\/\//, "")
  const stream = uniqueName("RMC_CRASH_")
  const prefix = uniqueName("rmccrash")
  const nc = await connect({ servers })
  try {
    const events = await killAndRestart("nats", [servers, stream, prefix])
    const info = await (await jetstreamManager(nc)).streams.info(stream)
    expect(info.state.messages).toBe(events.length)
    const consumer = await jetstream(nc).consumers.get(stream)
    const ids: Array<string> = []
    for await (const m of await consumer.fetch({ max_messages: events.length, expires: 2_000 })) {
      ids.push(EventEnvelope.parse(m.json()).id)
      if (ids.length === events.length) break
    }
    expect(ids).toEqual(events.map((e) => e.id))
  } finally {
    await (await jetstreamManager(nc)).streams.delete(stream).catch(() => undefined)
    await nc.close()
  }
}, 60_000)
