// `npm start`: the demo RMC Details API on an embedded SQLite database, seeded with two tenants.
// Options: --port <n> (or PORT), RMC_DEMO_DATABASE=postgres://... or mysql://... for a server.
import { startDemo } from "./start-demo"

const portFlag = process.argv.indexOf("--port")
const port = Number(portFlag > 0 ? process.argv[portFlag + 1] : (process.env.PORT ?? 3000))
const demo = await startDemo({ port, databaseUrl: process.env.RMC_DEMO_DATABASE })

console.log(`
RMC Details demo API on ${demo.dialect === "sqlite" ? "SQLite (.tmp/demo.sqlite)" : demo.dialect}: ${demo.url}
  Interactive reference: ${demo.url}/docs      OpenAPI document: ${demo.url}/openapi.json

Authenticate with "Authorization: Bearer <tenant>:<agent>:<role>", e.g.
  curl -H "Authorization: Bearer telco-fr:camille:agent" "${demo.url}/conversations/search?limit=5" -X POST -H "content-type: application/json" -d '{}'
  curl -H "Authorization: Bearer telco-fr:sophie:supervisor" "${demo.url}/reports/volumes?dimension=department&from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z"
  curl -H "Authorization: Bearer maison-lumiere:lucas:agent" "${demo.url}/labels"
Tenants: telco-fr (agents camille, yanis, ines; supervisor sophie; admin admin), maison-lumiere (agents lucas, emma; supervisor hugo).
Press Ctrl+C to stop.`)

const stop = async () => {
  await demo.close()
  process.exit(0)
}
process.on("SIGINT", stop)
process.on("SIGTERM", stop)
