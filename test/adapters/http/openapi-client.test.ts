import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import openapiTS, { astToString } from "openapi-typescript"
import ts from "typescript"
import { afterAll, describe, expect, it } from "vitest"
import { openApiDocument } from "../../../src/adapters/http"

// Calls a team writes with a client generated from the document. Valid calls must compile; each
// `@ts-expect-error` marks a call the generated types must refuse: if it starts compiling, the
// directive is unused and the check fails.
const calls = `
import createClient from "openapi-fetch"
import type { components, paths } from "./api"

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false
const client = createClient<paths>({ baseUrl: "http://127.0.0.1/api/details" })
const id = "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11"

export async function valid() {
  const added = await client.POST("/notes", { body: { subject: { kind: "conversation", id }, body: "Call back at 3pm" } })
  if (added.data !== undefined) {
    const note: components["schemas"]["Note"] = added.data
    note.subject.kind satisfies "contact" | "conversation"
  }
  if (added.error !== undefined) {
    const codes: Equal<
      typeof added.error.code,
      "validation_failed" | "malformed_json" | "unauthenticated" | "not_found" | "idempotency_conflict" | "contact_erased" | "merged" | "payload_too_large" | "unsupported_media_type" | "storage_unavailable" | "internal"
    > = true
    if (added.error.code === "not_found") added.error.entity satisfies components["schemas"]["NotFoundProblem"]["entity"]
  }
  const details = await client.GET("/conversations/{conversationId}/details", { params: { path: { conversationId: id }, query: { historyLimit: 5 } } })
  const panel: components["schemas"]["ConversationDetails"] | undefined = details.data
  const contact: components["schemas"]["Contact"] | undefined = panel?.contact
  await client.POST("/conversations/{conversationId}/transfer", { params: { path: { conversationId: id } }, body: { toAgentId: "bob" } })
  await client.POST("/conversations/{conversationId}/transfer", { params: { path: { conversationId: id } }, body: { toDepartmentId: id, note: "quote" } })
  await client.POST("/conversations/{conversationId}/transfer", { params: { path: { conversationId: id }, header: { "If-Match": 'W/"3"' } }, body: { toAgentId: "bob", toDepartmentId: id } })
  await client.POST("/calls/status", { body: { providerCallId: "CA1", status: "answered", at: "2026-01-05T10:00:00Z" } })
  await client.POST("/calls/status", { body: { callId: id, status: "failed", at: "2026-01-05T10:00:00Z", reason: "busy line" } })
  await client.PATCH("/contacts/{contactId}", { params: { path: { contactId: id } }, body: {} })
  await client.PUT("/conversations/{conversationId}/keywords/{keywordId}", { params: { path: { conversationId: id, keywordId: id } } })
  await client.POST("/conversations/{conversationId}/calls", { params: { path: { conversationId: id }, header: { "Idempotency-Key": "call-1" } }, body: {} })
  const keyword = await client.POST("/keywords", { body: { name: "Invoice" } })
  if (keyword.error !== undefined && keyword.response.status === 403) keyword.error.code satisfies string
  const transfer = await client.POST("/conversations/{conversationId}/transfer", { params: { path: { conversationId: id } }, body: { toAgentId: "bob" } })
  if (transfer.error?.code === "policy_violation") transfer.error.policy satisfies components["schemas"]["PolicyViolationProblem"]["policy"]
  return { panel, contact }
}

export async function refused() {
  // @ts-expect-error a note needs a body
  await client.POST("/notes", {})
  // @ts-expect-error the body of a note is required
  await client.POST("/notes", { body: { subject: { kind: "conversation", id } } })
  // @ts-expect-error "closed" is not a conversation status
  await client.PUT("/conversations/{conversationId}/status", { params: { path: { conversationId: id } }, body: { status: "closed" } })
  // @ts-expect-error the path parameter is missing
  await client.GET("/contacts/{contactId}", {})
  // @ts-expect-error a transfer needs toAgentId or toDepartmentId
  await client.POST("/conversations/{conversationId}/transfer", { params: { path: { conversationId: id } }, body: { note: "quote" } })
  // @ts-expect-error a status report needs callId or providerCallId
  await client.POST("/calls/status", { body: { status: "answered", at: "2026-01-05T10:00:00Z" } })
  // @ts-expect-error a call needs an Idempotency-Key
  await client.POST("/conversations/{conversationId}/calls", { params: { path: { conversationId: id } }, body: {} })
  // @ts-expect-error no such route
  await client.GET("/conversations/{conversationId}/everything", { params: { path: { conversationId: id } } })
  const added = await client.POST("/notes", { body: { subject: { kind: "contact", id }, body: "x" } })
  // @ts-expect-error adding a note never answers a policy violation
  if (added.error?.code === "policy_violation") return
  const transfer = await client.POST("/conversations/{conversationId}/transfer", { params: { path: { conversationId: id } }, body: { toAgentId: "bob" } })
  // @ts-expect-error a policy is one of the tenant policies' names, not any string
  if (transfer.error?.code === "policy_violation" && transfer.error.policy === "no_such_policy") return
  const label = await client.POST("/labels", { body: { name: "Hot", color: "#e11d48" } })
  // @ts-expect-error a label needs no If-Match, so no stale version answers 412
  if (label.error?.status === 412) return
}
`

const require = createRequire(import.meta.url)
const openapiFetchTypes = join(dirname(require.resolve("openapi-fetch")), "index.d.mts")

describe("a client generated from the OpenAPI document", () => {
  const dir = mkdtempSync(join(tmpdir(), "rmc-openapi-client-"))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it("accepts the valid calls and refuses the invalid ones at compile time", async () => {
    const document = openApiDocument({ serverUrl: "/api/details" })
    writeFileSync(join(dir, "api.ts"), astToString(await openapiTS(document as never)))
    writeFileSync(join(dir, "calls.ts"), calls)
    const program = ts.createProgram([join(dir, "calls.ts")], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2023,
      lib: ["lib.es2023.d.ts", "lib.dom.d.ts"],
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      types: [],
      skipLibCheck: true,
      paths: { "openapi-fetch": [openapiFetchTypes] },
    })
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => {
      const where =
        d.file === undefined || d.start === undefined ? "" : `${d.file.fileName.split("/").pop()}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: `
      return `${where}${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`
    })
    expect(diagnostics).toEqual([])
  })
})
