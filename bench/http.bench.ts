// HTTP benchmark: requests per second and latency (p50, p99) of GET details and POST note through
// the SDK's REST handler on node:http, side by side with a bare node:http handler that calls the
// same Promise API on the same store: the same work minus the HTTP adapter. Runs on the in-memory
// store, SQLite (node:sqlite, a file) and PostgreSQL. Run with `npm run bench:http` (options:
// --seconds <n>, --rounds <n>, --connections <n>, --stores memory,sqlite,postgres;
// RMC_BENCH_POSTGRES_URL picks the server).
import { execFile } from "node:child_process"
import { createServer, type IncomingMessage, type Server } from "node:http"
import { createRequire } from "node:module"
import type { AddressInfo } from "node:net"
import { cpus, tmpdir } from "node:os"
import { join } from "node:path"
import { rmSync } from "node:fs"
import type autocannon from "autocannon"
import type { Layer } from "effect"
import pg from "pg"
import type { Principal } from "../src"
import type { Storage } from "../src/ports/storage"
import { type BenchResult, round, saveResults, saveRows, saveSection } from "./results"

// The package as users install it: the built files (`npm run bench:http` builds first), not the sources.
const { createRmc, memoryStorage } = (await import(new URL("../dist/index.js", import.meta.url).href)) as typeof import("../src")
const { createKyselyDatabase, kyselyStorage, migrateToLatest } = (await import(
  new URL("../dist/kysely.js", import.meta.url).href
)) as typeof import("../src/adapters/kysely")
const { createRmcHandler } = (await import(new URL("../dist/http.js", import.meta.url).href)) as typeof import("../src/adapters/http")
const { serveNode } = (await import(new URL("../dist/http/node.js", import.meta.url).href)) as typeof import("../src/adapters/http/node")

const flag = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? process.argv[i + 1]! : fallback
}
const seconds = Number(flag("seconds", "5"))
const rounds = Number(flag("rounds", "2"))
const connections = Number(flag("connections", "16"))
const stores = flag("stores", "memory,sqlite,postgres").split(",")
const postgresUrl = process.env.RMC_BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test"

interface Store {
  readonly storage: Layer.Layer<Storage>
  close(): Promise<void>
}

const openStore = async (name: string): Promise<Store> => {
  if (name === "memory") return { storage: memoryStorage(), close: async () => undefined }
  if (name === "sqlite") {
    const file = join(tmpdir(), `rmc-bench-http-${process.pid}.sqlite`)
    rmSync(file, { force: true })
    const database = await createKyselyDatabase({ dialect: "sqlite", path: file })
    await migrateToLatest(database.db, { dialect: database.dialect })
    return {
      storage: kyselyStorage({ db: database.db, dialect: database.dialect }),
      close: async () => {
        await database.destroy()
        for (const suffix of ["", "-wal", "-shm"]) rmSync(`${file}${suffix}`, { force: true })
      },
    }
  }
  if (name === "postgres") {
    // A schema of its own: the server may be shared with other runs.
    const schema = `rmc_bench_http_${process.pid}`
    const admin = async (sql: string) => {
      const client = new pg.Client({ connectionString: postgresUrl })
      await client.connect()
      await client.query(sql)
      await client.end()
    }
    await admin(`drop schema if exists ${schema} cascade; create schema ${schema}`)
    const url = new URL(postgresUrl)
    url.searchParams.set("options", `-c search_path=${schema}`)
    const database = await createKyselyDatabase({ dialect: "postgres", url: url.toString() })
    await migrateToLatest(database.db, { dialect: database.dialect })
    return {
      storage: kyselyStorage({ db: database.db, dialect: database.dialect }),
      close: async () => {
        await database.destroy()
        await admin(`drop schema ${schema} cascade`)
      },
    }
  }
  throw new Error(`unknown store ${name}`)
}

const principal: Principal = { tenantId: "bench-http", agentId: "alice", role: "agent" }

const readBody = (request: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let body = ""
    request.on("data", (c: Buffer) => (body += c))
    request.on("end", () => resolve(body))
  })

/** What one load run gives: autocannon's figures, and the CPU time the servers' process spent. */
interface Run {
  readonly result: autocannon.Result
  /** Microseconds of CPU of this process (both servers, of which only one is loaded) per request. */
  readonly cpuPerRequest: number
}

// autocannon fires from a process of its own, so that it shares neither the servers' event loop nor
// their CPU count: the CPU time per request of a side is then a figure that other load on the
// machine hardly moves, unlike requests per second.
const autocannonBin = createRequire(import.meta.url).resolve("autocannon/autocannon.js")
const load = async (url: string, method: "GET" | "POST", body?: string): Promise<Run> => {
  const args = [
    autocannonBin,
    "--json",
    "-c",
    String(connections),
    "-d",
    String(seconds),
    "-m",
    method,
    "-H",
    "authorization=Bearer bench",
    "-H",
    "content-type=application/json",
  ]
  if (body !== undefined) args.push("-b", body)
  const cpu = process.cpuUsage()
  const output = await new Promise<string>((resolve, reject) => {
    execFile(process.execPath, [...args, url], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => (error === null ? resolve(stdout) : reject(error)))
  })
  const used = process.cpuUsage(cpu)
  const result = JSON.parse(output.trim().split("\n").at(-1)!) as autocannon.Result
  return { result, cpuPerRequest: (used.user + used.system) / Math.max(1, result.requests.total) }
}

const results: Array<BenchResult> = []
for (const storeName of stores) {
  const store = await openStore(storeName)
  const rmc = createRmc({ storage: store.storage })
  const api = rmc.as(principal)
  const contact = await api.createContact({ fullName: "Marie Dubois", primaryPhone: "0612345678" })
  const conversation = await api.openConversation({ contactId: contact.id, channel: "whatsapp" })
  for (let i = 0; i < 10; i++) await api.addNote({ subject: { kind: "conversation", id: conversation.id }, body: `Note ${i}` })
  for (let i = 0; i < 10; i++) await api.openConversation({ contactId: contact.id, channel: "email" })

  // The SDK's handler.
  const sdk = await serveNode(createRmcHandler({ rmc, authenticate: (r) => (r.headers.get("authorization") === "Bearer bench" ? principal : null) }))
  // The baseline: the same Promise API behind a hand-written node:http handler. Like any server of
  // several agents, it takes the API of the request's principal for each request.
  const bare: Server = createServer(async (request, response) => {
    if (request.headers.authorization !== "Bearer bench") return response.writeHead(401).end()
    const api = rmc.as(principal)
    try {
      if (request.method === "GET" && request.url?.startsWith(`/conversations/${conversation.id}/details`)) {
        const details = await api.getDetails({ conversationId: conversation.id })
        response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(details))
      } else if (request.method === "POST" && request.url === "/notes") {
        const note = await api.addNote(JSON.parse(await readBody(request)))
        response.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify(note))
      } else response.writeHead(404).end()
    } catch {
      response.writeHead(400).end()
    }
  })
  await new Promise<void>((resolve) => bare.listen(0, "127.0.0.1", resolve))
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`

  const noteBody = JSON.stringify({ subject: { kind: "conversation", id: conversation.id }, body: "Called back, quote sent" })
  const cases = [
    { name: "GET details", path: `/conversations/${conversation.id}/details`, method: "GET" as const },
    { name: "POST note", path: "/notes", method: "POST" as const, body: noteBody },
  ]
  for (const c of cases) {
    await load(`${sdk.url}${c.path}`, c.method, c.body) // warm-up of both, then measure
    await load(`${bareUrl}${c.path}`, c.method, c.body)
    // Rounds alternate which side goes first, so that a drift of the machine or a growing store
    // weighs on both alike; the figures are the sums over the rounds.
    const ours: Array<Run> = []
    const base: Array<Run> = []
    for (let r = 0; r < rounds; r++) {
      const sides = [
        async () => ours.push(await load(`${sdk.url}${c.path}`, c.method, c.body)),
        async () => base.push(await load(`${bareUrl}${c.path}`, c.method, c.body)),
      ]
      for (const side of r % 2 === 0 ? sides : sides.reverse()) await side()
    }
    const failed = [...ours, ...base].some((run) => run.result.non2xx > 0 || run.result.errors > 0)
    if (failed) throw new Error(`${storeName} ${c.name}: failed requests during the run`)
    const total = (runs: Array<Run>) => runs.reduce((sum, run) => sum + run.result.requests.total, 0)
    const mean = (runs: Array<Run>, pick: (run: Run) => number) => runs.reduce((sum, run) => sum + pick(run), 0) / runs.length
    const worst = (runs: Array<Run>, pick: (run: Run) => number) => Math.max(...runs.map(pick))
    const cpu = (runs: Array<Run>) => runs.reduce((sum, run) => sum + run.cpuPerRequest * run.result.requests.total, 0) / total(runs)
    results.push({
      name: `HTTP ${c.name}`,
      database: storeName,
      sdk_ms: round(mean(ours, (run) => run.result.latency.average)),
      baseline_ms: round(mean(base, (run) => run.result.latency.average)),
      ratio: round(total(ours) / total(base)),
      sdk_rps: round(total(ours) / (rounds * seconds), 0),
      baseline_rps: round(total(base) / (rounds * seconds), 0),
      sdk_p50_ms: mean(ours, (run) => run.result.latency.p50),
      sdk_p99_ms: worst(ours, (run) => run.result.latency.p99),
      baseline_p50_ms: mean(base, (run) => run.result.latency.p50),
      baseline_p99_ms: worst(base, (run) => run.result.latency.p99),
      sdk_cpu_us: round(cpu(ours), 0),
      baseline_cpu_us: round(cpu(base), 0),
      cpu_ratio: round(cpu(base) / cpu(ours)),
    })
    console.log(results.at(-1))
  }
  await sdk.close()
  bare.closeAllConnections()
  await new Promise((resolve) => bare.close(resolve))
  await rmc.dispose()
  await store.close()
}

// Rows of earlier versions of this benchmark, filed under the database "http", are replaced.
saveResults(["http"], [])
saveRows(results)
saveSection(
  "http",
  `## HTTP

\`npm run bench:http\` (${rounds} rounds of ${seconds} s per side, ${connections} connections, autocannon in a process
of its own), on ${cpus().length} cores (${cpus()[0]?.model ?? "unknown CPU"}), Node ${process.version},
${new Date().toISOString().slice(0, 10)}. The SDK's handler (\`createRmcHandler\` on \`serveNode\`) against a bare
\`node:http\` handler that calls the same Promise API on the same store, taking the principal's API
(\`rmc.as(principal)\`) per request as the handler does: the same work minus the HTTP adapter.
\`ratio\` is the SDK's throughput over the baseline's, summed over rounds that alternate which side
goes first (target: at least 0.8). \`cpu ratio\` is the baseline's CPU time per request over
the SDK's, both measured in the servers' process (the database server's own CPU is not counted): a
second view of the same comparison, which a CPU-bound server's throughput follows. Both move with
other load on the machine: compare runs taken on a quiet one.

| store | request | SDK req/s | baseline req/s | ratio | SDK / baseline CPU per request (µs) | cpu ratio | SDK p50 / p99 (ms) | baseline p50 / p99 (ms) |
|---|---|---|---|---|---|---|---|---|
${results.map((r) => `| ${r.database} | ${r.name.replace(/^HTTP /, "")} | ${r.sdk_rps} | ${r.baseline_rps} | ${r.ratio} | ${r.sdk_cpu_us} / ${r.baseline_cpu_us} | ${r.cpu_ratio} | ${r.sdk_p50_ms} / ${r.sdk_p99_ms} | ${r.baseline_p50_ms} / ${r.baseline_p99_ms} |`).join("\n")}

The load generator shares the machine's cores with both servers, so absolute figures are low; the
ratio, measured in the same run, is the figure to read. Each store is measured on its own data;
the details reads run before the notes are written.`,
)
