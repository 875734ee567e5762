// Writes the REST API's OpenAPI document to a file, for linters and API tools.
import { mkdirSync, writeFileSync } from "node:fs"
import { dirname } from "node:path"
import { openApiDocument } from "../src/adapters/http"

const target = process.argv[2] ?? "openapi.json"
mkdirSync(dirname(target), { recursive: true })
writeFileSync(target, `${JSON.stringify(openApiDocument(), null, 2)}\n`)
console.log(`OpenAPI document written to ${target}`)
