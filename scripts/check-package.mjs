// Checks the package as users get it: packs it, installs the tarball in a fresh project, imports
// every subpath from ESM and requires it from CommonJS on Node 22 and 24, type-checks a consumer
// under two module resolutions, and runs publint and Are the Types Wrong.
import { execFileSync } from "node:child_process"
import { builtinModules } from "node:module"
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { build } from "esbuild"

const root = resolve(import.meta.dirname, "..")
const bin = join(root, "node_modules", ".bin")
const run = (command, args, cwd = root) => {
  console.log(`$ ${command} ${args.join(" ")}`)
  execFileSync(command, args, { cwd, stdio: "inherit", env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } })
}

const work = mkdtempSync(join(tmpdir(), "rmc-details-package-"))
try {
  run("npm", ["pack", "--pack-destination", work])
  const tarball = join(work, readdirSync(work).find((f) => f.endsWith(".tgz")))

  run(join(bin, "publint"), ["run", tarball, "--strict"])
  run(join(bin, "attw"), [tarball, "--profile", "node16"])

  const consumer = join(work, "consumer")
  execFileSync("mkdir", ["-p", consumer])
  writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }))
  run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", tarball, "kysely@0.29", "pg@8", "mysql2@3", "@electric-sql/pglite@0.5", "fast-check@4", "vitest@5", "typescript@6.0", "@types/node@24", "@nats-io/transport-node@3", "@nats-io/jetstream@3", "amqplib@2"], consumer)

  const subpaths = ["rmc-details", "rmc-details/kysely", "rmc-details/http", "rmc-details/http/node", "rmc-details/testing", "rmc-details/relay", "rmc-details/events", "rmc-details/nats", "rmc-details/rabbitmq"]
  // The broker subpaths are small: a sink constructor, its layer, its Promise form; the Node server
  // subpath is serveNode alone.
  const least = { "rmc-details/nats": 4, "rmc-details/rabbitmq": 3, "rmc-details/http/node": 1 }
  // Internal helpers of the HTTP adapter that must not leak into its public API, and the Node-only
  // server that lives in its own subpath.
  const notPublic = ["serveNode", "coerceQuery", "readJsonBody", "readRawBody", "statusOf", "toProblem", "errorFromProblem", "isProblemError", "routes", "pathParameters", "inputInQuery"]
  writeFileSync(
    join(consumer, "esm.mjs"),
    `const least = ${JSON.stringify(least)}
for (const s of ${JSON.stringify(subpaths)}) { const m = await import(s); if (Object.keys(m).length < (least[s] ?? 5)) throw new Error(s + " exports too little") }
const http = await import("rmc-details/http")
const leaked = ${JSON.stringify(notPublic)}.filter((name) => name in http)
if (leaked.length > 0) throw new Error("rmc-details/http exports " + leaked.join(", "))
const { createRmc, memoryStorage } = await import("rmc-details")
const rmc = createRmc({ storage: memoryStorage() })
const labels = await rmc.as({ tenantId: "acme", agentId: "alice", role: "agent" }).listLabels({})
if (!Array.isArray(labels)) throw new Error("listLabels")
const { serveNode } = await import("rmc-details/http/node")
const server = await serveNode(http.createRmcHandler({ rmc, authenticate: () => ({ tenantId: "acme", agentId: "alice", role: "agent" }) }))
const served = await http.createRmcClient({ baseUrl: server.url }).listLabels({})
await server.close()
if (!Array.isArray(served)) throw new Error("serveNode")
await rmc.dispose()
console.log("ESM ok")\n`,
  )
  writeFileSync(
    join(consumer, "cjs.cjs"),
    `const least = ${JSON.stringify(least)}
for (const s of ${JSON.stringify(subpaths.filter((s) => s !== "rmc-details/testing"))}) { const m = require(s); if (Object.keys(m).length < (least[s] ?? 5)) throw new Error(s + " exports too little") }
const { signWebhook } = require("rmc-details/events")
signWebhook({ id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1614265330, body: '{"test": 2432232314}' }, ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]).then((s) => { if (s !== "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=") throw new Error("signWebhook") })
const { createRmc, memoryStorage } = require("rmc-details")
const { createRmcHandler, createRmcClient } = require("rmc-details/http")
const { serveNode } = require("rmc-details/http/node")
const rmc = createRmc({ storage: memoryStorage() })
serveNode(createRmcHandler({ rmc, authenticate: () => ({ tenantId: "acme", agentId: "alice", role: "agent" }) })).then(async (server) => {
  const labels = await createRmcClient({ baseUrl: server.url }).listLabels({})
  await server.close()
  await rmc.dispose()
  if (!Array.isArray(labels)) throw new Error("serveNode")
})
const { normalizePhone } = require("rmc-details")
if (normalizePhone("06 12 34 56 78", "FR") !== "+33612345678") throw new Error("normalizePhone")
console.log("CJS ok")\n`,
  )
  for (const node of [["npx", ["-y", "-p", "node@22", "--", "node"]], [join(bin, "node"), []]]) {
    run(node[0], [...node[1], "esm.mjs"], consumer)
    run(node[0], [...node[1], "cjs.cjs"], consumer)
  }

  writeFileSync(
    join(consumer, "consumer.ts"),
    `import { createRmc, memoryStorage, type RmcApi, type Contact, NotFoundError } from "rmc-details"
import { kyselyStorage, createKyselyDatabase, migrateToLatest } from "rmc-details/kysely"
import { createRmcClient, createRmcHandler } from "rmc-details/http"
import { serveNode, type NodeServer } from "rmc-details/http/node"
import { describeStorageConformance, validInput } from "rmc-details/testing"
import { toEventEnvelope, type EventEnvelope, type EventSinkHandle, asyncApiDocument, verifyWebhook } from "rmc-details/events"
import { createNatsEventSink } from "rmc-details/nats"
import { createRabbitMqEventSink } from "rmc-details/rabbitmq"
export const sinks: Array<() => Promise<EventSinkHandle>> = [() => createNatsEventSink({}), () => createRabbitMqEventSink({})]
export const envelopeOf = (e: Parameters<typeof toEventEnvelope>[0]): EventEnvelope => toEventEnvelope(e)
export const events = [asyncApiDocument, verifyWebhook]
const api: RmcApi = createRmc({ storage: memoryStorage() }).as({ tenantId: "acme", agentId: "alice", role: "agent" })
const remote: RmcApi = createRmcClient({ baseUrl: "http://127.0.0.1:3000" })
export const name = async (id: string): Promise<string> => {
  try { const contact: Contact = await api.getContact({ contactId: id }); return contact.fullName }
  catch (e) { if (e instanceof NotFoundError) return e.entity; throw e }
}
export const serve = (): Promise<NodeServer> => serveNode(createRmcHandler({ rmc: createRmc({ storage: memoryStorage() }), authenticate: () => null }))
export const things = [kyselyStorage, createKyselyDatabase, migrateToLatest, createRmcHandler, describeStorageConformance, validInput, remote]\n`,
  )
  // The published rmc-details/http, chunks included, bundled for a platform without Node: any Node
  // built-in it reaches fails the check (the subpath promises Bun, Deno and edge runtimes).
  const nodeImports = []
  await build({
    stdin: { contents: `export * from "rmc-details/http"`, resolveDir: consumer },
    bundle: true,
    platform: "neutral",
    format: "esm",
    mainFields: ["module", "main"],
    write: false,
    logLevel: "silent",
    plugins: [
      {
        name: "no-node-builtins",
        setup(b) {
          b.onResolve({ filter: /.*/ }, (args) => {
            if (!args.path.startsWith("node:") && !builtinModules.includes(args.path.split("/")[0])) return undefined
            nodeImports.push(`${args.path} (imported by ${args.importer})`)
            return { path: args.path, external: true }
          })
        },
      },
    ],
  })
  if (nodeImports.length > 0) throw new Error(`rmc-details/http imports Node built-ins: ${nodeImports.join(", ")}`)
  console.log("rmc-details/http bundles without Node built-ins")

  for (const resolution of [["nodenext", "nodenext"], ["preserve", "bundler"]]) {
    run(join(bin, "tsc"), ["--noEmit", "--strict", "--skipLibCheck", "--types", "node", "--target", "es2023", "--module", resolution[0], "--moduleResolution", resolution[1], "consumer.ts"], consumer)
  }
  console.log("package checks passed")
} finally {
  rmSync(work, { recursive: true, force: true })
}
