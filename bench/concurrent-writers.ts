// Concurrent writers: N agents of one tenant adding notes at once, each to a conversation of its
// own, through the SDK (createRmc + the Kysely store, the built package) and through a hand-written
// transaction on the same driver and pool size (select the conversation, insert the note, insert an
// event row with an auto-increment id: no global row). Throughput in writes per second.
import { readFileSync } from "node:fs"
import { cpus, loadavg } from "node:os"
import { createPool } from "mysql2"
import pg from "pg"
import { benchSchema } from "./postgres-schema"
import { type BenchResult, round, saveRows, saveSection } from "./results"

type Api = typeof import("../src")
type KyselyApi = typeof import("../src/adapters/kysely")

interface Side {
  write(agent: number): Promise<unknown>
  close(): Promise<void>
}

interface Database {
  readonly name: "postgres" | "mysql"
  open(): Promise<{ sdk: Side; raw: Side; cleanup(): Promise<void> }>
}

const pool = 16
const tenantId = "tenant-writers"
const agents = 64
const iso = () => new Date().toISOString()

const seedRows = () => {
  const contacts = Array.from({ length: agents }, (_, i) => ({
    tenant_id: tenantId,
    id: crypto.randomUUID(),
    full_name: `Contact ${i}`,
    type: "Client",
    primary_phone: null,
    phones: "[]",
    email: null,
    channel_identities: "[]",
    created_at: iso(),
    last_activity_at: iso(),
    version: 1,
  }))
  const conversations = contacts.map((c) => ({
    tenant_id: tenantId,
    id: crypto.randomUUID(),
    contact_id: c.id,
    channel: "whatsapp",
    status: "open",
    assignee_id: "alice",
    department_id: null,
    created_at: iso(),
    last_activity_at: iso(),
    assigned_at: iso(),
    version: 1,
  }))
  return { contacts, conversations }
}

const noteSql = (p: (i: number) => string) =>
  `insert into rmc_notes (tenant_id, id, subject_kind, subject_id, contact_id, body, author_id, created_at, edited_at, deleted_at, deleted_by, revisions, version)
   values (${p(1)}, ${p(2)}, 'conversation', ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}, ${p(7)}, null, null, null, '[]', 1)`
const eventSql = (p: (i: number) => string) =>
  `insert into bench_events (tenant_id, event_id, type, at, actor_id, actor_role, subject_id, conversation_id, contact_id, after_state)
   values (${p(1)}, ${p(2)}, 'note.added', ${p(3)}, 'alice', 'agent', ${p(4)}, ${p(5)}, ${p(6)}, ${p(7)})`

const openSdk = async (
  api: Api,
  kysely: KyselyApi,
  config: Parameters<KyselyApi["createKyselyDatabase"]>[0],
  conversations: ReadonlyArray<{ id: string }>,
): Promise<Side> => {
  const database = await kysely.createKyselyDatabase(config)
  const rmc = api.createRmc({ storage: kysely.kyselyStorage({ db: database.db, dialect: database.dialect }) })
  const alice = rmc.as({ tenantId, agentId: "alice", role: "agent" })
  return {
    write: (agent) => alice.addNote({ subject: { kind: "conversation", id: conversations[agent]!.id }, body: "Quote sent by e-mail." }),
    close: async () => {
      await rmc.dispose()
      await database.destroy()
    },
  }
}

const postgres = (url: string, api: Api, kysely: KyselyApi): Database => ({
  name: "postgres",
  open: async () => {
    const schema = await benchSchema(url, `rmc_writers_${process.pid}`)
    const scoped = schema.url
    const loader = await kysely.createKyselyDatabase({ dialect: "postgres", url: scoped, maxConnections: 2 })
    await kysely.migrateToLatest(loader.db, { dialect: "postgres" })
    const { contacts, conversations } = seedRows()
    await loader.db.insertInto("rmc_contacts").values(contacts).execute()
    await loader.db.insertInto("rmc_conversations").values(conversations).execute()
    await loader.db.schema
      .createTable("bench_events")
      .addColumn("id", "bigserial", (c) => c.primaryKey())
      .addColumn("tenant_id", "varchar(128)", (c) => c.notNull())
      .addColumn("event_id", "varchar(36)", (c) => c.notNull())
      .addColumn("type", "varchar(64)", (c) => c.notNull())
      .addColumn("at", "varchar(24)", (c) => c.notNull())
      .addColumn("actor_id", "varchar(128)", (c) => c.notNull())
      .addColumn("actor_role", "varchar(20)", (c) => c.notNull())
      .addColumn("subject_id", "varchar(200)", (c) => c.notNull())
      .addColumn("conversation_id", "varchar(36)")
      .addColumn("contact_id", "varchar(36)")
      .addColumn("after_state", "text")
      .execute()
    await loader.destroy()
    const sdk = await openSdk(api, kysely, { dialect: "postgres", url: scoped, maxConnections: pool }, conversations)
    const rawPool = new pg.Pool({ connectionString: url, max: pool, options: schema.options })
    const $ = (i: number) => `$${i}`
    const raw: Side = {
      write: async (agent) => {
        const conversation = conversations[agent]!
        const client = await rawPool.connect()
        try {
          await client.query("begin isolation level read committed")
          const found = await client.query("select * from rmc_conversations where tenant_id = $1 and id = $2", [tenantId, conversation.id])
          const row = found.rows[0]
          const noteId = crypto.randomUUID()
          const at = iso()
          await client.query(noteSql($), [tenantId, noteId, conversation.id, row.contact_id, "Quote sent by e-mail.", "alice", at])
          await client.query(eventSql($), [
            tenantId,
            crypto.randomUUID(),
            at,
            noteId,
            conversation.id,
            row.contact_id,
            JSON.stringify({ body: "Quote sent by e-mail." }),
          ] as Array<string>)
          await client.query("commit")
        } catch (error) {
          await client.query("rollback")
          throw error
        } finally {
          client.release()
        }
      },
      close: () => rawPool.end(),
    }
    return {
      sdk,
      raw,
      cleanup: schema.drop,
    }
  },
})

const mysql = (url: string, api: Api, kysely: KyselyApi): Database => ({
  name: "mysql",
  open: async () => {
    const name = `rmc_writers_${process.pid}`
    const admin = createPool({ uri: url, connectionLimit: 1 }).promise()
    await admin.query(`drop database if exists ${name}`)
    await admin.query(`create database ${name} character set utf8mb4 collate utf8mb4_bin`)
    await admin.end()
    const target = new URL(url)
    target.pathname = `/${name}`
    const scoped = target.toString()
    const loader = await kysely.createKyselyDatabase({ dialect: "mysql", url: scoped, maxConnections: 2 })
    await kysely.migrateToLatest(loader.db, { dialect: "mysql" })
    const { contacts, conversations } = seedRows()
    await loader.db.insertInto("rmc_contacts").values(contacts).execute()
    await loader.db.insertInto("rmc_conversations").values(conversations).execute()
    await loader.db.executeQuery(
      (await import("kysely"))
        .sql`create table bench_events (id bigint auto_increment primary key, tenant_id varchar(128) not null, event_id varchar(36) not null,
        type varchar(64) not null, at varchar(24) not null, actor_id varchar(128) not null, actor_role varchar(20) not null, subject_id varchar(200) not null,
        conversation_id varchar(36), contact_id varchar(36), after_state mediumtext) character set utf8mb4 collate utf8mb4_bin`.compile(loader.db),
    )
    await loader.destroy()
    const sdk = await openSdk(api, kysely, { dialect: "mysql", url: scoped, maxConnections: pool }, conversations)
    const rawPool = createPool({ uri: scoped, connectionLimit: pool, timezone: "Z" }).promise()
    const q = () => "?"
    const raw: Side = {
      write: async (agent) => {
        const conversation = conversations[agent]!
        const connection = await rawPool.getConnection()
        try {
          await connection.query("set transaction isolation level read committed")
          await connection.query("begin")
          const [rows] = await connection.execute("select * from rmc_conversations where tenant_id = ? and id = ?", [tenantId, conversation.id])
          const row = (rows as Array<Record<string, unknown>>)[0]!
          const noteId = crypto.randomUUID()
          const at = iso()
          await connection.execute(noteSql(q), [tenantId, noteId, conversation.id, row.contact_id, "Quote sent by e-mail.", "alice", at] as Array<string>)
          await connection.execute(eventSql(q), [
            tenantId,
            crypto.randomUUID(),
            at,
            noteId,
            conversation.id,
            row.contact_id,
            JSON.stringify({ body: "Quote sent by e-mail." }),
          ] as Array<string>)
          await connection.query("commit")
        } catch (error) {
          await connection.query("rollback")
          throw error
        } finally {
          connection.release()
        }
      },
      close: () => rawPool.end(),
    }
    return {
      sdk,
      raw,
      cleanup: async () => {
        const c = createPool({ uri: url, connectionLimit: 1 }).promise()
        await c.query(`drop database ${name}`)
        await c.end()
      },
    }
  },
})

/**
 * The machine's busy CPU time so far, in clock ticks (user, nice, system, irq, softirq, steal from
 * /proc/stat): this process and the database server together. `undefined` where there is no /proc.
 */
const machineTicks = (): number | undefined => {
  try {
    const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number)
    return fields[0]! + fields[1]! + fields[2]! + fields[5]! + fields[6]! + fields[7]!
  } catch {
    return undefined
  }
}
/** Clock ticks per second as Linux reports them in /proc/stat (USER_HZ). */
const ticksPerSecond = 100

/**
 * Writes per second of `writers` agents writing in a loop for `ms`, and the CPU time this process
 * spent per write (user + system, microseconds): the client's own cost, which the database server
 * does not share; and the whole machine's busy CPU time per write, the server's share included.
 */
const throughput = async (side: Side, writers: number, ms: number) => {
  let done = 0
  const end = performance.now() + ms
  const started = performance.now()
  const cpu = process.cpuUsage()
  const machine = machineTicks()
  await Promise.all(
    Array.from({ length: writers }, async (_, agent) => {
      while (performance.now() < end) {
        await side.write(agent)
        done++
      }
    }),
  )
  const used = process.cpuUsage(cpu)
  const after = machineTicks()
  const busy = machine === undefined || after === undefined ? Number.NaN : ((after - machine) * 1_000_000) / ticksPerSecond
  return {
    perSecond: (done * 1000) / (performance.now() - started),
    cpuPerWrite: (used.user + used.system) / Math.max(1, done),
    machinePerWrite: busy / Math.max(1, done),
  }
}

/**
 * Rounds of the two sides in turn, `pairs` of them, the side that goes first swapped at each pair:
 * a slow moment of the shared machine then hits both sides, and no side always runs on a warmer
 * server. Each side's figures are its rounds' means; the pairs' own ratios show the spread.
 */
const measure = async (sdk: Side, raw: Side, writers: number, ms: number, pairs: number) => {
  const sdkRounds: Array<Awaited<ReturnType<typeof throughput>>> = []
  const rawRounds: Array<Awaited<ReturnType<typeof throughput>>> = []
  for (let pair = 0; pair < pairs; pair++) {
    if (pair % 2 === 0) {
      sdkRounds.push(await throughput(sdk, writers, ms))
      rawRounds.push(await throughput(raw, writers, ms))
    } else {
      rawRounds.push(await throughput(raw, writers, ms))
      sdkRounds.push(await throughput(sdk, writers, ms))
    }
  }
  const mean = (rounds: ReadonlyArray<Awaited<ReturnType<typeof throughput>>>) => {
    const average = (f: (round: Awaited<ReturnType<typeof throughput>>) => number) => rounds.reduce((sum, round) => sum + f(round), 0) / rounds.length
    return { perSecond: average((r) => r.perSecond), cpuPerWrite: average((r) => r.cpuPerWrite), machinePerWrite: average((r) => r.machinePerWrite) }
  }
  const pairRatios = sdkRounds.map((round, i) => round.perSecond / rawRounds[i]!.perSecond)
  return { sdk: mean(sdkRounds), raw: mean(rawRounds), pairRatios }
}

/** Rounds per side and point. */
const pairs = 8

/** Measures every writer count on the given databases, saves the rows and the docs section. */
export const benchConcurrentWriters = async (options: {
  databases: ReadonlyArray<string>
  seconds: number
  postgresUrl: string
  mysqlUrl: string
  /** The writer counts to measure (default 1, 4, 16, 64). */
  writers?: ReadonlyArray<number> | undefined
  /** Where the built package is (default `dist`), to compare two builds. */
  dist?: string | undefined
  /** Measure only: leave bench/results.json and docs/benchmarks.md as they are. */
  dryRun?: boolean | undefined
}) => {
  const api = (await import(new URL(`../${options.dist ?? "dist"}/index.js`, import.meta.url).href)) as Api
  const kysely = (await import(new URL(`../${options.dist ?? "dist"}/kysely.js`, import.meta.url).href)) as KyselyApi
  const results: Array<BenchResult> = []
  const started = loadavg()[0]!
  const chosen = [
    ...(options.databases.includes("postgres") ? [postgres(options.postgresUrl, api, kysely)] : []),
    ...(options.databases.includes("mysql") ? [mysql(options.mysqlUrl, api, kysely)] : []),
  ]
  for (const database of chosen) {
    let opened: Awaited<ReturnType<Database["open"]>>
    try {
      opened = await database.open()
    } catch (error) {
      console.log(`${database.name}: concurrent writers skipped (${(error as Error).message})`)
      continue
    }
    try {
      // Warm both sides up: connections opened, statements prepared, code optimised.
      await throughput(opened.sdk, 16, 1_500)
      await throughput(opened.raw, 16, 1_500)
      for (const writers of options.writers ?? [1, 4, 16, 64]) {
        const { sdk, raw, pairRatios } = await measure(opened.sdk, opened.raw, writers, (options.seconds * 1000) / pairs, pairs)
        results.push({
          name: `concurrent add a note, ${writers} writers`,
          database: database.name,
          sdk_ms: round(1000 / sdk.perSecond),
          baseline_ms: round(1000 / raw.perSecond),
          sdk_writes_per_s: Math.round(sdk.perSecond),
          baseline_writes_per_s: Math.round(raw.perSecond),
          sdk_cpu_us_per_write: Math.round(sdk.cpuPerWrite),
          baseline_cpu_us_per_write: Math.round(raw.cpuPerWrite),
          sdk_machine_cpu_us_per_write: Math.round(sdk.machinePerWrite),
          baseline_machine_cpu_us_per_write: Math.round(raw.machinePerWrite),
          ratio: round(sdk.perSecond / raw.perSecond),
          ratio_lowest_pair: round(Math.min(...pairRatios)),
          ratio_highest_pair: round(Math.max(...pairRatios)),
        })
        console.log(results.at(-1))
      }
    } finally {
      await opened.sdk.close()
      await opened.raw.close()
      await opened.cleanup()
    }
  }
  if (options.dryRun === true) return results
  saveRows(results)
  const table = (name: string) => {
    const rows = results.filter((r) => r.database === name)
    if (rows.length === 0) return ""
    const cells = (f: (r: BenchResult) => string) => rows.map(f).join(" | ")
    return `**${name === "mysql" ? "MariaDB" : "PostgreSQL"}**

| concurrent agents | ${cells((r) => r.name.replace(/\D+/g, ""))} |
|---|${rows.map(() => "---").join("|")}|
| SDK writes/s | ${cells((r) => Number(r.sdk_writes_per_s).toLocaleString("en"))} |
| hand-written writes/s | ${cells((r) => Number(r.baseline_writes_per_s).toLocaleString("en"))} |
| ratio | ${cells((r) => String(r.ratio))} |
| ratio, lowest and highest pair of rounds | ${cells((r) => `${r.ratio_lowest_pair}–${r.ratio_highest_pair}`)} |
| client CPU µs per write, SDK | ${cells((r) => String(r.sdk_cpu_us_per_write))} |
| client CPU µs per write, hand-written | ${cells((r) => String(r.baseline_cpu_us_per_write))} |
| machine CPU µs per write, SDK | ${cells((r) => String(r.sdk_machine_cpu_us_per_write))} |
| machine CPU µs per write, hand-written | ${cells((r) => String(r.baseline_machine_cpu_us_per_write))} |
`
  }
  if (results.length > 0) {
    saveSection(
      "concurrent-writers",
      `## Concurrent writers

\`npm run bench -- --concurrent\` on ${cpus().length} cores (${cpus()[0]?.model ?? "unknown CPU"}), Node ${process.version},
${new Date().toISOString().slice(0, 10)}: N agents of one tenant add notes at once, each to a conversation of its own, for
${options.seconds} s per point and side (${pairs} rounds per side, in turn, the side that goes first swapped at each pair), with a pool of ${pool} connections on both sides. The SDK side
is \`createRmc(...).as(agent).addNote(...)\` on the built package (validation, role check, the use case, the Kysely
store, the outbox); the hand-written side is a transaction through the same driver that selects the conversation,
inserts the note and inserts an event row with an auto-increment id, with no global row. \`ratio\` is SDK / hand-written
throughput over all rounds (higher is better; target ≥ 0.8 at 16 and 64 writers), and the row below it gives the
lowest and highest ratio of a pair of rounds, the spread that the shared machine adds. The database server runs on the same 2 cores; the
machine's load average was ${started.toFixed(1)} when the run began. The client CPU rows are this process's CPU time
(user + system) per write, from \`process.cpuUsage()\`; the machine CPU rows are the busy time of the whole machine
(this process and the database server) per write, from /proc/stat.

${table("postgres")}
${table("mysql")}`,
    )
  }
  return results
}
