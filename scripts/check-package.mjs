// Checks the package as users get it: packs it, installs the tarball in a fresh project, imports
// every subpath from ESM and requires it from CommonJS on Node 22 and 24, type-checks a consumer
// under two module resolutions, and runs publint and Are the Types Wrong. Then, for each use the
// README names, installs exactly its install line in a project of its own and runs its quick start
// there; and checks that every bare import of each subpath's built files is a dependency or one of
// that subpath's documented peers.
import { execFileSync } from "node:child_process"
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { builtinModules, isBuiltin } from "node:module"
import { tmpdir } from "node:os"
import { dirname, join, resolve } from "node:path"
import { build } from "esbuild"
import ts from "typescript"

const root = resolve(import.meta.dirname, "..")
const bin = join(root, "node_modules", ".bin")
const run = (command, args, cwd = root) => {
  console.log(`$ ${command} ${args.join(" ")}`)
  execFileSync(command, args, { cwd, stdio: "inherit", env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } })
}

const work = mkdtempSync(join(tmpdir(), "rmc-details-package-"))
try {
  run("npm", ["pack", "--pack-destination", work])
  const tarball = join(
    work,
    readdirSync(work).find((f) => f.endsWith(".tgz")),
  )

  run(join(bin, "publint"), ["run", tarball, "--strict"])
  // rmc-details/testing is ESM-only (vitest, which it imports, is ESM-only): it declares no `require`
  // condition, so the CommonJS resolutions of that one entry are checked as ESM-only.
  run(join(bin, "attw"), [tarball, "--profile", "node16", "--exclude-entrypoints", "./testing"])
  run(join(bin, "attw"), [tarball, "--profile", "esm-only", "--entrypoints", "./testing"])
  checkOldestNode()
  checkBareImports()
  checkReadmeInstallLines()
  for (const use of uses()) checkUse(use, tarball, work)

  const consumer = join(work, "consumer")
  execFileSync("mkdir", ["-p", consumer])
  writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }))
  run(
    "npm",
    [
      "install",
      "--no-audit",
      "--no-fund",
      "--prefer-offline",
      tarball,
      "kysely@0.29",
      "pg@8",
      "mysql2@3",
      "@electric-sql/pglite@0.5",
      "fast-check@4",
      "vitest@5",
      "typescript@6.0",
      "@types/node@24",
      "@nats-io/transport-node@3",
      "@nats-io/jetstream@3",
      "amqplib@2",
      "hono@4",
      "@hono/node-server@2",
      "zod-openapi@6",
    ],
    consumer,
  )

  const subpaths = [
    "rmc-details",
    "rmc-details/kysely",
    "rmc-details/http",
    "rmc-details/http/node",
    "rmc-details/testing",
    "rmc-details/relay",
    "rmc-details/events",
    "rmc-details/nats",
    "rmc-details/rabbitmq",
  ]
  // The broker subpaths are small: a sink constructor, its layer, its Promise form; the Node server
  // subpath is serveNode alone.
  const least = { "rmc-details/nats": 4, "rmc-details/rabbitmq": 3, "rmc-details/http/node": 1 }
  // Internal helpers of the HTTP adapter that must not leak into its public API, and the Node-only
  // server that lives in its own subpath.
  const notPublic = [
    "serveNode",
    "queryReader",
    "parseIfMatch",
    "runIfMatch",
    "readRawBody",
    "statusOf",
    "toProblem",
    "errorFromProblem",
    "isProblemError",
    "routes",
    "pathParameters",
    "inputInQuery",
  ]
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
if (!Array.isArray(labels.items)) throw new Error("listLabels")
const { serveNode } = await import("rmc-details/http/node")
const server = await serveNode(http.createRmcHandler({ rmc, authenticate: () => ({ tenantId: "acme", agentId: "alice", role: "agent" }) }))
const served = await http.createRmcClient({ baseUrl: server.url }).listLabels({})
await server.close()
if (!Array.isArray(served.items)) throw new Error("serveNode")
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
  if (!Array.isArray(labels.items)) throw new Error("serveNode")
})
const { normalizePhone } = require("rmc-details")
if (normalizePhone("06 12 34 56 78", "FR") !== "+33612345678") throw new Error("normalizePhone")
console.log("CJS ok")\n`,
  )
  for (const node of [
    ["npx", ["-y", "-p", "node@22", "--", "node"]],
    [join(bin, "node"), []],
  ]) {
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

  for (const resolution of [
    ["nodenext", "nodenext"],
    ["preserve", "bundler"],
  ]) {
    run(
      join(bin, "tsc"),
      [
        "--noEmit",
        "--strict",
        "--skipLibCheck",
        "--types",
        "node",
        "--target",
        "es2023",
        "--module",
        resolution[0],
        "--moduleResolution",
        resolution[1],
        "consumer.ts",
      ],
      consumer,
    )
  }
  console.log("package checks passed")
} finally {
  rmSync(work, { recursive: true, force: true })
}

/** Node versions the package promises: the oldest of `engines.node`, and the one the project runs on. */
function nodes() {
  const oldest = /^>=(\d+\.\d+)$/.exec(manifest().engines.node)?.[1]
  if (!oldest) throw new Error(`engines.node should read ">=MAJOR.MINOR", not ${manifest().engines.node}`)
  return [
    { name: `Node ${oldest}.0`, command: "npx", args: ["-y", "-p", `node@${oldest}.0`, "--", "node", "--experimental-strip-types", "--no-warnings"] },
    { name: "Node 24", command: join(bin, "node"), args: [] },
  ]
}

/** The package's own manifest. */
function manifest() {
  return JSON.parse(readFileSync(join(root, "package.json"), "utf8"))
}

/**
 * The optional peers each subpath may import, as the README's install lines and docs/events.md
 * document them. A subpath missing here fails the check: a new one must say what it needs.
 */
function subpathPeers() {
  return {
    ".": [],
    "./kysely": ["kysely", "pg", "mysql2", "@electric-sql/pglite"],
    "./http": ["hono", "zod-openapi"],
    "./http/node": ["hono", "@hono/node-server", "zod-openapi"],
    "./testing": ["fast-check", "vitest"],
    "./relay": [],
    "./events": [],
    "./nats": ["@nats-io/transport-node", "@nats-io/jetstream"],
    "./rabbitmq": ["amqplib"],
  }
}

/**
 * Each use the README gives an install line for: the line word for word, and what proves it is
 * enough — the README quick start it runs (with the database swapped for the other dialects), or
 * the subpaths it imports.
 */
function uses() {
  const kysely = "examples/kysely-adapter.ts"
  const sqlite = `{ dialect: "sqlite", path: ":memory:" }`
  return [
    { use: "the Promise API, in memory", install: "npm install rmc-details", quickStart: "examples/promise-api.ts" },
    { use: "the Effect API", install: "npm install rmc-details effect", quickStart: "examples/effect-api.ts" },
    { use: "SQLite", install: "npm install rmc-details kysely", quickStart: kysely },
    { use: "PostgreSQL", install: "npm install rmc-details kysely pg", quickStart: kysely, replace: [sqlite, "postgres"] },
    { use: "MySQL or MariaDB", install: "npm install rmc-details kysely mysql2", quickStart: kysely, replace: [sqlite, "mysql"] },
    { use: "PGlite", install: "npm install rmc-details kysely @electric-sql/pglite", quickStart: kysely, replace: [sqlite, "pglite"] },
    { use: "HTTP", install: "npm install rmc-details hono zod-openapi", imports: ["rmc-details/http"] },
    { use: "HTTP on Node", install: "npm install rmc-details hono @hono/node-server zod-openapi", quickStart: "examples/http-server-and-client.ts" },
    { use: "the testing kit", install: "npm install rmc-details fast-check vitest", quickStart: "examples/testing-kit.ts", esmOnly: "rmc-details/testing" },
    { use: "events, webhooks and the relay", install: "npm install rmc-details", imports: ["rmc-details/events", "rmc-details/relay"] },
    { use: "NATS JetStream", install: "npm install rmc-details @nats-io/transport-node @nats-io/jetstream", imports: ["rmc-details/nats"] },
    { use: "RabbitMQ", install: "npm install rmc-details amqplib", imports: ["rmc-details/rabbitmq"] },
  ]
}

/** A package name from an import specifier: `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
function packageOf(specifier) {
  const parts = specifier.split("/")
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]
}

/** The bare specifiers a file imports, statically, dynamically or through `require`. */
function bareImportsOf(source) {
  return ts
    .preProcessFile(source, true, true)
    .importedFiles.map((f) => f.fileName)
    .filter((name) => !name.startsWith(".") && !name.startsWith("/") && !isBuiltin(name))
}

/**
 * Follows each subpath's built entries (JavaScript and declarations, ESM and CommonJS) through their
 * chunks and fails when a bare import is neither a dependency nor a documented peer of that subpath.
 */
function checkBareImports() {
  const pkg = manifest()
  const peers = subpathPeers()
  const dependencies = new Set(Object.keys(pkg.dependencies ?? {}))
  const problems = []
  for (const [peer] of Object.entries(pkg.peerDependencies ?? {})) {
    if (!Object.values(peers).some((list) => list.includes(peer))) problems.push(`peer ${peer} is imported by no subpath`)
    if (!pkg.peerDependenciesMeta?.[peer]?.optional) problems.push(`peer ${peer} should be optional: only some subpaths need it`)
  }
  for (const [subpath, conditions] of Object.entries(pkg.exports)) {
    if (subpath === "./package.json") continue
    const own = peers[subpath]
    if (!own) {
      problems.push(`${subpath}: no documented peers (add it to subpathPeers in scripts/check-package.mjs)`)
      continue
    }
    for (const peer of own) if (!pkg.peerDependencies?.[peer]) problems.push(`${subpath}: ${peer} is not in peerDependencies`)
    const allowed = new Set([...dependencies, ...own])
    const seen = new Set()
    const visit = (file) => {
      // A declaration imports its neighbours by their JavaScript names.
      if (!existsSync(file)) file = file.replace(/\.js$/, ".d.ts").replace(/\.cjs$/, ".d.cts")
      if (seen.has(file)) return
      seen.add(file)
      const source = readFileSync(file, "utf8")
      for (const name of ts.preProcessFile(source, true, true).importedFiles.map((f) => f.fileName)) {
        if (name.startsWith(".")) visit(join(dirname(file), name))
      }
      for (const name of bareImportsOf(source)) {
        if (!allowed.has(packageOf(name)))
          problems.push(`${subpath}: ${file.slice(root.length + 1)} imports ${name}, neither a dependency nor a peer of ${subpath}`)
      }
    }
    const files = JSON.stringify(conditions).match(/"\.\/dist\/[^"]+"/g) ?? []
    if (files.length === 0) problems.push(`${subpath}: no built file`)
    for (const file of files) visit(join(root, JSON.parse(file)))
  }
  if (problems.length > 0) throw new Error(`bare imports:\n  ${problems.join("\n  ")}`)
  console.log("every bare import of every subpath is a dependency or one of its documented peers")
}

/** The README gives each use's install line word for word, and nothing it installs is unknown. */
function checkReadmeInstallLines() {
  const pkg = manifest()
  const readme = readFileSync(join(root, "README.md"), "utf8")
  const known = new Set(["rmc-details", ...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})])
  for (const { use, install } of uses()) {
    if (!readme.split("\n").some((line) => line.replace(/\s+#.*$/, "").trim() === install)) {
      throw new Error(`README.md has no install line "${install}" for ${use}`)
    }
    for (const name of install.split(" ").slice(2)) if (!known.has(name)) throw new Error(`${use}: ${name} is neither a dependency nor a peer`)
  }
  const peers = new Set(Object.values(subpathPeers()).flat())
  for (const peer of peers) {
    if (!uses().some(({ install }) => install.split(" ").includes(peer))) throw new Error(`no README install line installs the peer ${peer}`)
  }
  console.log("the README has an install line for each use")
}

/** A database of its own for a quick start on a shared server; returns its URL and how to drop it. */
function scratchDatabaseSync(dialect, project) {
  const url = process.env[dialect === "postgres" ? "RMC_TEST_POSTGRES_URL" : "RMC_TEST_MYSQL_URL"]
  if (!url) return undefined
  const name = `rmc_package_${process.pid}`
  const admin = (statement) =>
    dialect === "postgres"
      ? `import pg from "pg"; const c = new pg.Client(${JSON.stringify(url)}); await c.connect(); await c.query(${JSON.stringify(statement)}); await c.end()`
      : `import { createConnection } from "mysql2/promise"; const c = await createConnection(${JSON.stringify(url)}); await c.query(${JSON.stringify(statement)}); await c.end()`
  const drop = () =>
    run(
      join(bin, "node"),
      ["--input-type=module", "-e", admin(dialect === "postgres" ? `drop database if exists ${name} with (force)` : `drop database if exists ${name}`)],
      project,
    )
  // Each run of a quick start starts from an empty database, as a user's first run does.
  const reset = () => {
    drop()
    run(join(bin, "node"), ["--input-type=module", "-e", admin(`create database ${name}`)], project)
  }
  reset()
  const scratch = new URL(url)
  scratch.pathname = `/${name}`
  return { url: scratch.toString(), drop, reset }
}

/**
 * Installs the packed tarball with exactly the README's install line for one use in an empty
 * project, then runs that use's quick start there on the oldest supported Node and on Node 24.
 */
function checkUse(use, tarball, work) {
  const project = join(work, `use-${use.use.replace(/\W+/g, "-")}`)
  mkdirSync(project, { recursive: true })
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "use", private: true, type: "module" }))
  const [, , ...packages] = use.install.split(" ")
  run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", ...packages.map((p) => (p === "rmc-details" ? tarball : p))], project)

  const scripts = []
  if (use.quickStart) {
    let source = readFileSync(join(root, use.quickStart), "utf8")
    // The quick start imports nothing its install line leaves out (rmc-details itself is installed).
    for (const name of bareImportsOf(source)) {
      if (!packages.includes(packageOf(name))) throw new Error(`${use.quickStart} imports ${name}, which "${use.install}" does not install`)
    }
    let scratch
    if (use.replace) {
      const [from, dialect] = use.replace
      if (!source.includes(from)) throw new Error(`${use.quickStart} no longer opens ${from}`)
      if (dialect === "pglite") source = source.replace(from, `{ dialect: "pglite" }`)
      else {
        scratch = scratchDatabaseSync(dialect, project)
        if (!scratch) {
          console.log(`${use.use}: installed; quick start skipped (no test server URL in the environment)`)
          return
        }
        source = source.replace(from, `{ dialect: ${JSON.stringify(dialect)}, url: ${JSON.stringify(scratch.url)} }`)
      }
    }
    writeFileSync(join(project, "quick-start.ts"), source)
    writeFileSync(
      join(project, "main.mjs"),
      `const { main } = await import("./quick-start.ts")\nif (!(await main())) throw new Error("the quick start returned nothing")\nconsole.log(${JSON.stringify(`${use.use}: quick start ran`)})\n`,
    )
    scripts.push({ file: "main.mjs", before: scratch?.reset, after: scratch?.drop })
  }
  if (use.imports) {
    writeFileSync(
      join(project, "imports.mjs"),
      `for (const s of ${JSON.stringify(use.imports)}) { const m = await import(s); if (Object.keys(m).length === 0) throw new Error(s) }\nconsole.log(${JSON.stringify(`${use.use}: imports load`)})\n`,
    )
    scripts.push({ file: "imports.mjs" })
  }
  if (use.esmOnly) {
    // Declared ESM-only: require() is refused by the exports map, not by a CommonJS file that throws.
    writeFileSync(
      join(project, "require.cjs"),
      `try { require(${JSON.stringify(use.esmOnly)}); throw new Error("required") } catch (e) { if (e.code !== "ERR_PACKAGE_PATH_NOT_EXPORTED") throw e }\nconsole.log(${JSON.stringify(`${use.esmOnly} is ESM-only`)})\n`,
    )
    scripts.push({ file: "require.cjs" })
  }
  try {
    for (const node of nodes())
      for (const { file, before } of scripts) {
        before?.()
        run(node.command, [...node.args, file], project)
      }
  } finally {
    for (const { after } of scripts) after?.()
  }
}

/** CI's run on the oldest Node is the version `engines.node` and the README name. */
function checkOldestNode() {
  const pkg = manifest()
  const oldest = /^>=(\d+\.\d+)$/.exec(pkg.engines.node)?.[1]
  if (!pkg.scripts["test:node-oldest"]?.includes(` node@${oldest}.0 `))
    throw new Error(`test:node-oldest should run node@${oldest}.0, the oldest of engines.node`)
  if (!readFileSync(join(root, "README.md"), "utf8").includes(`Node.js ${oldest} or later`))
    throw new Error(`README.md should say "Node.js ${oldest} or later"`)
  console.log(`CI tests on Node ${oldest}.0, the oldest of engines.node`)
}
