// HTTP benchmark: requests per second and latency (p50, p99) of GET details and POST note through
// the SDK's REST handler on node:http, side by side with a bare node:http handler that calls the
// same Promise API. Run with `npm run bench:http` (options: --seconds <n>, --connections <n>).
import { createServer, type IncomingMessage } from "node:http"
import type { AddressInfo } from "node:net"
import { cpus } from "node:os"
import autocannon from "autocannon"
import type { Principal } from "../src"
import { type BenchResult, round, saveResults, saveSection } from "./results"

// The package as users install it: the built files (`npm run bench:http` builds first), not the sources.
const { createRmc, memoryStorage } = (await import(new URL("../dist/index.js", import.meta.url).href)) as typeof import("../src")
const { createRmcHandler } = (await import(new URL("../dist/http.js", import.meta.url).href)) as typeof import("../src/adapters/http")
const { serveNode } = (await import(new URL("../dist/http/node.js", import.meta.url).href)) as typeof import("../src/adapters/http/node")

const flag = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? Number(process.argv[i + 1]) : fallback
}
const seconds = flag("seconds", 8)
const connections = flag("connections", 16)

const principal: Principal = { tenantId: "bench", agentId: "alice", role: "agent" }
const rmc = createRmc({ storage: memoryStorage() })
const api = rmc.as(principal)
const contact = await api.createContact({ fullName: "Marie Dubois", primaryPhone: "0612345678" })
const conversation = await api.openConversation({ contactId: contact.id, channel: "whatsapp" })
for (let i = 0; i < 10; i++) await api.addNote({ subject: { kind: "conversation", id: conversation.id }, body: `Note ${i}` })
for (let i = 0; i < 10; i++) await api.openConversation({ contactId: contact.id, channel: "email" })

// The SDK's handler.
const sdk = await serveNode(createRmcHandler({ rmc, authenticate: (r) => (r.headers.get("authorization") === "Bearer bench" ? principal : null) }))

// The baseline: the same Promise API behind a hand-written node:http handler.
const readBody = (request: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let body = ""
    request.on("data", (c: Buffer) => (body += c))
    request.on("end", () => resolve(body))
  })
const bare = createServer(async (request, response) => {
  if (request.headers.authorization !== "Bearer bench") return response.writeHead(401).end()
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

const load = (url: string, method: "GET" | "POST", body?: string) =>
  autocannon({
    url,
    method,
    connections,
    duration: seconds,
    headers: { authorization: "Bearer bench", "content-type": "application/json" },
    ...(body === undefined ? {} : { body }),
  })

const noteBody = JSON.stringify({ subject: { kind: "conversation", id: conversation.id }, body: "Called back, quote sent" })
const cases = [
  { name: "GET details", path: `/conversations/${conversation.id}/details`, method: "GET" as const },
  { name: "POST note", path: "/notes", method: "POST" as const, body: noteBody },
]

const results: Array<BenchResult> = []
for (const c of cases) {
  await load(`${sdk.url}${c.path}`, c.method, c.body) // warm-up of both, then measure
  await load(`${bareUrl}${c.path}`, c.method, c.body)
  const ours = await load(`${sdk.url}${c.path}`, c.method, c.body)
  const base = await load(`${bareUrl}${c.path}`, c.method, c.body)
  if (ours.non2xx > 0 || base.non2xx > 0 || ours.errors > 0 || base.errors > 0) throw new Error(`${c.name}: failed requests during the run`)
  results.push({
    name: c.name,
    database: "http",
    sdk_ms: round(ours.latency.average),
    baseline_ms: round(base.latency.average),
    ratio: round(ours.requests.average / base.requests.average),
    sdk_rps: round(ours.requests.average, 0),
    baseline_rps: round(base.requests.average, 0),
    sdk_p50_ms: ours.latency.p50,
    sdk_p99_ms: ours.latency.p99,
    baseline_p50_ms: base.latency.p50,
    baseline_p99_ms: base.latency.p99,
  })
  console.log(results.at(-1))
}

saveResults(["http"], results)
saveSection(
  "http",
  `## HTTP

\`npm run bench:http\` (${seconds} s per run, ${connections} connections, autocannon in the same process), on
${cpus().length} cores (${cpus()[0]?.model ?? "unknown CPU"}), Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.
The SDK's handler (\`createRmcHandler\` on \`serveNode\`) against a bare \`node:http\` handler that calls the
same Promise API on the same in-memory store. \`ratio\` is the SDK's throughput over the baseline's
(target: at least 0.8).

| request | SDK req/s | baseline req/s | ratio | SDK p50 / p99 (ms) | baseline p50 / p99 (ms) |
|---|---|---|---|---|---|
${results.map((r) => `| ${r.name} | ${r.sdk_rps} | ${r.baseline_rps} | ${r.ratio} | ${r.sdk_p50_ms} / ${r.sdk_p99_ms} | ${r.baseline_p50_ms} / ${r.baseline_p99_ms} |`).join("\n")}

The load generator shares the machine's cores with both servers, so absolute figures are low; the
ratio, measured in the same run, is the figure to read. Each note written during the run makes the
next details read slightly larger, for both sides alike.`,
)
await sdk.close()
bare.close()
await rmc.dispose()
