import { readFile, rm, mkdir } from "node:fs/promises"
import { createRequire } from "node:module"
import { join } from "node:path"
import { Clock, createRmc, memoryTelephony, type Principal } from "../src"
import { createCallStatusWebhook, createRmcHandler } from "../src/adapters/http"
import { serveNode } from "../src/adapters/http/node"
import { createKyselyDatabase, type DatabaseConfig, kyselyStorage, migrateToEmpty, migrateToLatest } from "../src/adapters/kysely"
import { demoTenants, seedTenant } from "./seed"

const swaggerDir = (createRequire(import.meta.url)("swagger-ui-dist") as { getAbsoluteFSPath(): string }).getAbsoluteFSPath()

const docsPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>RMC Details API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/swagger-ui-standalone-preset.js"></script>
<script src="/docs/init.js"></script></body></html>`

const docsInit = `window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: "StandaloneLayout" })`

const types: Record<string, string> = { ".css": "text/css", ".js": "text/javascript", ".png": "image/png", ".html": "text/html", ".map": "application/json" }

/**
 * The demo's authentication: `Authorization: Bearer <tenant>:<agent>:<role>`. A real product
 * resolves the principal from its own sessions or tokens.
 */
export const demoAuthenticate = (request: Request): Principal | null => {
  const [tenantId, agentId, role] = (request.headers.get("authorization") ?? "").replace(/^Bearer\s+/i, "").split(":")
  if (tenantId === undefined || !(tenantId in demoTenants) || agentId === undefined || agentId === "") return null
  if (role !== "agent" && role !== "supervisor" && role !== "admin") return null
  return { tenantId, agentId, role }
}

const databaseConfig = (url: string | undefined, sqlitePath: string): DatabaseConfig =>
  url === undefined || url === ""
    ? { dialect: "sqlite", path: sqlitePath }
    : url.startsWith("mysql") || url.startsWith("mariadb")
      ? { dialect: "mysql", url: url.replace(/^mariadb/, "mysql") }
      : { dialect: "postgres", url }

/**
 * Starts the demo RMC Details API: a fresh database (SQLite by default, or PostgreSQL / MySQL from
 * `databaseUrl`), migrated and seeded with two tenants, served with its OpenAPI document, an
 * interactive reference at `/docs`, and the call-status webhook at `/webhooks/call-status/{tenantId}`.
 */
export const startDemo = async (
  options: { readonly port?: number; readonly databaseUrl?: string | undefined; readonly sqlitePath?: string | undefined } = {},
) => {
  const config = databaseConfig(options.databaseUrl, options.sqlitePath ?? join(process.cwd(), ".tmp", "demo.sqlite"))
  if (config.dialect === "sqlite" && config.path !== ":memory:") {
    await mkdir(join(process.cwd(), ".tmp"), { recursive: true })
    await rm(config.path, { force: true })
    await rm(`${config.path}-wal`, { force: true })
    await rm(`${config.path}-shm`, { force: true })
  }
  const database = await createKyselyDatabase(config)
  const tablePrefix = config.dialect === "sqlite" ? "rmc_" : "demo_"
  // Start from empty tables; on a shared server, only the demo's own prefix is touched.
  if (config.dialect !== "sqlite") await migrateToEmpty(database.db, { dialect: database.dialect, tablePrefix })
  await migrateToLatest(database.db, { dialect: database.dialect, tablePrefix })
  // The seed happens over the last month, three hours per step, so that history has dates; after
  // it, the clock is the real one.
  let seedTime: number | null = Date.now() - 30 * 86_400_000
  const clock = Clock.layerFrom(() => {
    if (seedTime === null) return new Date()
    seedTime += 3 * 3_600_000
    return new Date(seedTime)
  })
  const rmc = createRmc({ storage: kyselyStorage({ db: database.db, dialect: database.dialect, tablePrefix }), telephony: memoryTelephony(), clock })
  for (const tenantId of Object.keys(demoTenants) as Array<keyof typeof demoTenants>) await seedTenant(rmc, tenantId)
  seedTime = null

  const api = createRmcHandler({ rmc, authenticate: demoAuthenticate, openapi: { title: "RMC Details API (demo)" } })
  // Each tenant's telephony platform posts to its own URL, signed with its own secret.
  const webhook = createCallStatusWebhook({ rmc, secrets: (tenantId) => (Object.hasOwn(demoTenants, tenantId) ? [`demo-webhook-secret-${tenantId}`] : []) })
  const server = await serveNode(
    {
      fetch: async (request) => {
        const { pathname } = new URL(request.url)
        if (pathname === "/docs" || pathname === "/docs/") return new Response(docsPage, { headers: { "content-type": "text/html; charset=utf-8" } })
        if (pathname === "/docs/init.js") return new Response(docsInit, { headers: { "content-type": "text/javascript" } })
        if (pathname.startsWith("/docs/assets/")) {
          const file = pathname.slice("/docs/assets/".length)
          if (!/^[\w.-]+$/.test(file)) return new Response("Not found", { status: 404 })
          const content = await readFile(join(swaggerDir, file)).catch(() => null)
          return content === null
            ? new Response("Not found", { status: 404 })
            : new Response(content, { headers: { "content-type": types[file.slice(file.lastIndexOf("."))] ?? "application/octet-stream" } })
        }
        if (pathname.startsWith("/webhooks/call-status/")) return webhook.fetch(request)
        return api.fetch(request)
      },
    },
    { port: options.port ?? 3000, hostname: "127.0.0.1" },
  )
  return {
    url: server.url,
    dialect: database.dialect,
    close: async () => {
      await server.close()
      await rmc.dispose()
      await database.destroy()
    },
  }
}
