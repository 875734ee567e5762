// Fault tests: the SDK on a PostgreSQL cluster of its own, with writes in flight while the server is
// killed and restarted, has every backend terminated, or is frozen (SIGSTOP) past the deadlines.
// Run with `npm run test:faults` (root, Debian's PostgreSQL 15 cluster tools); not part of `npm test`.
import { Effect } from "effect"
import { sql } from "kysely"
import pg from "pg"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { createKyselyDatabase, type KyselyDatabase, kyselyStorage, makeKyselyStorage, migrateToLatest } from "../../src/adapters/kysely"
import { StorageError } from "../../src/domain/shared/errors"
import { createRmc } from "../../src/facade/create-rmc"
import { clusterToolsAvailable, PostgresCluster } from "./postgres-cluster"

const available = clusterToolsAvailable()
if (!available) console.warn("Fault tests skipped: pg_createcluster (Debian's postgresql-common) is not installed on this machine.")

/** Writes in flight when the fault strikes. */
const writes = 60
const deadlines = { acquireTimeoutMs: 1_000, statementTimeoutMs: 1_500 }
const transactionTimeoutMs = 2_000
/** How much later than its deadline an answer may come: timers, a loaded 2-core machine. */
const marginMs = 750
const boundMs = transactionTimeoutMs + marginMs

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

interface Tally {
  readonly scenario: string
  answered: number
  unanswered: number
  succeeded: number
  failedTyped: number
  failedUntyped: number
  conflicts: number
  lost: number
  halfWritten: number
  slowestMs: number
  firstAfterRecovery: "ok" | string
}

describe.skipIf(!available)("PostgreSQL faults under writes in flight", () => {
  let cluster: PostgresCluster
  let database: KyselyDatabase
  const tallies: Array<Tally> = []

  beforeAll(async () => {
    // No try/catch: a cluster that cannot start fails the run.
    cluster = await PostgresCluster.create()
    database = await createKyselyDatabase({ dialect: "postgres", url: cluster.url, maxConnections: 10, ...deadlines })
    await migrateToLatest(database.db, { dialect: "postgres" })
  })

  afterAll(async () => {
    await database?.destroy().catch(() => undefined)
    await cluster?.drop()
    if (tallies.length > 0) {
      console.log(`\nFaults with ${writes} writes in flight (unit-of-work deadline ${transactionTimeoutMs} ms, answer bound ${boundMs} ms):`)
      console.table(tallies)
      const total = (key: "answered" | "unanswered" | "conflicts" | "lost") => tallies.reduce((sum, t) => sum + t[key], 0)
      console.log(`answered ${total("answered")} / unanswered ${total("unanswered")} / conflicts surfaced ${total("conflicts")} / lost writes ${total("lost")}`)
    }
  })

  /**
   * Starts `writes` notes at once, strikes with `fault` while they are in flight, waits for every
   * answer (each within its bound), runs `recover`, then checks the first command after recovery
   * and that every write answered with success is stored whole.
   */
  const scenario = async (name: string, fault: () => Promise<void>, recover: () => Promise<void>): Promise<Tally> => {
    const storage = kyselyStorage({ db: database.db, dialect: "postgres", transactionTimeoutMs })
    const rmc = createRmc({ storage })
    const tenantId = `t-${crypto.randomUUID().slice(0, 13)}`
    const api = rmc.as({ tenantId, agentId: "alice", role: "agent" })
    const contact = await api.createContact({ fullName: "Camille Martin" })
    const conversation = await api.openConversation({ contactId: contact.id, channel: "whatsapp" })
    const subject = { kind: "conversation" as const, id: conversation.id }
    const tally: Tally = {
      scenario: name,
      answered: 0,
      unanswered: 0,
      succeeded: 0,
      failedTyped: 0,
      failedUntyped: 0,
      conflicts: 0,
      lost: 0,
      halfWritten: 0,
      slowestMs: 0,
      firstAfterRecovery: "not run",
    }
    const stored: Array<string> = []
    const requests = Array.from({ length: writes }, async (_, i) => {
      const started = Date.now()
      const answer = api.addNote({ subject, body: `${name} write ${i}` }).then(
        (note) => ({ ok: true as const, note }),
        (error: unknown) => ({ ok: false as const, error }),
      )
      const outcome = await Promise.race([answer, sleep(boundMs).then(() => "unanswered" as const)])
      const elapsed = Date.now() - started
      if (outcome === "unanswered") {
        tally.unanswered++
        await answer
        return
      }
      tally.answered++
      tally.slowestMs = Math.max(tally.slowestMs, elapsed)
      if (outcome.ok) {
        tally.succeeded++
        stored.push(outcome.note.id)
        return
      }
      const error = outcome.error as { code?: string; reason?: string }
      if (error instanceof StorageError || typeof error?.code === "string") tally.failedTyped++
      else tally.failedUntyped++
      if (error.reason === "conflict" || error.code === "version_conflict") tally.conflicts++
    })
    await sleep(15)
    await fault()
    await Promise.all(requests)
    await recover()
    try {
      await api.addNote({ subject, body: `${name}: first write after recovery` })
      tally.firstAfterRecovery = "ok"
    } catch (error) {
      tally.firstAfterRecovery = `${(error as { code?: string }).code ?? "?"}: ${(error as Error).message}`
    }
    // What is stored, read on a connection of its own.
    const reader = makeKyselyStorage({ db: database.db, dialect: "postgres" })
    const notes = await Effect.runPromise(reader.query((r) => r.notes.listBySubject(tenantId, subject, { limit: 100_000 })))
    const ids = new Set(notes.map((note) => note.id))
    tally.lost = stored.filter((id) => !ids.has(id)).length
    // A note is written with its activity event in one transaction: one without the other is half-written.
    const { rows } = await sql<{ id: string }>`select n.id from rmc_notes as n
      where n.tenant_id = ${tenantId} and not exists (select 1 from rmc_activity as a where a.tenant_id = n.tenant_id and a.subject_id = n.id and a.type = 'note.added')`.execute(
      database.db,
    )
    tally.halfWritten = rows.length
    await rmc.dispose()
    tallies.push(tally)
    return tally
  }

  const expectSurvived = (tally: Tally) => {
    expect(tally.unanswered, "requests with no answer within the deadline and its margin").toBe(0)
    expect(tally.answered).toBe(writes)
    expect(tally.failedUntyped, "failures that are not typed errors").toBe(0)
    expect(tally.lost, "writes answered with success and missing afterwards").toBe(0)
    expect(tally.halfWritten, "notes without their activity event").toBe(0)
    expect(tally.firstAfterRecovery).toBe("ok")
  }

  it("answers every write when the postmaster is killed (SIGKILL) and restarted, and works again after the restart", async () => {
    const tally = await scenario(
      "postmaster killed",
      async () => {
        process.kill(cluster.postmaster(), "SIGKILL")
      },
      () => cluster.start(),
    )
    expectSurvived(tally)
    expect(tally.failedTyped).toBeGreaterThan(0)
  })

  it("answers every write when every backend is terminated mid-command", async () => {
    const admin = new pg.Client({ connectionString: cluster.url })
    admin.on("error", () => undefined)
    await admin.connect()
    let terminated = 0
    try {
      const tally = await scenario(
        "backends terminated",
        async () => {
          for (let round = 0; round < 3; round++) {
            const { rows } = await admin.query(
              "select pg_terminate_backend(pid) as done from pg_stat_activity where pid <> pg_backend_pid() and backend_type = 'client backend' and datname = current_database()",
            )
            terminated += rows.filter((row: { done: boolean }) => row.done).length
            await sleep(20)
          }
        },
        async () => {},
      )
      expect(terminated).toBeGreaterThan(0)
      expectSurvived(tally)
    } finally {
      await admin.end()
    }
  })

  it("answers every write within its deadline while the database is frozen (SIGSTOP) past it, and works again after SIGCONT", async () => {
    const frozenMs = transactionTimeoutMs + 1_000
    let thawed: Promise<void> = Promise.resolve()
    const tally = await scenario(
      "database frozen",
      async () => {
        const processes = await cluster.processes()
        for (const pid of processes) process.kill(pid, "SIGSTOP")
        thawed = sleep(frozenMs).then(() => {
          for (const pid of processes) process.kill(pid, "SIGCONT")
        })
      },
      () => thawed,
    )
    expectSurvived(tally)
    expect(tally.failedTyped).toBeGreaterThan(0)
  })
})
