import { describe, expect, it } from "vitest"
import * as z from "zod"
import { createRmcHandler, openApiDocument } from "../../../src/adapters/http"
import { operationExamples } from "../../../src/adapters/http/openapi-examples"
import { inputInQuery, pathParameters, routes } from "../../../src/adapters/http/routes"
import { memoryStorage } from "../../../src/adapters/memory"
import { rmcErrors } from "../../../src/domain/shared/errors"
import { createRmc } from "../../../src/facade/create-rmc"
import { type OperationName, operations } from "../../../src/use-cases/catalog"
import { RecordCallStatusInput, TransferConversationInput } from "../../../src/use-cases/inputs"
import { operationErrorCodes, operationErrors } from "../../../src/use-cases/operation-errors"

type Schema = { $ref?: string; anyOf?: Array<Schema>; items?: Schema; properties?: Record<string, Schema>; const?: unknown; required?: Array<string> }
type Operation = {
  "x-required-role": string
  description: string
  parameters?: Array<{ in: string; name: string; required?: boolean }>
  requestBody?: { required: boolean; content: Record<string, { schema: Schema }> }
  responses: Record<
    string,
    { headers?: Record<string, { description?: string }>; content: Record<string, { schema: Schema; examples?: Record<string, { value: unknown }> }> }
  >
}

const document = openApiDocument()
const schemas = (document.components as { schemas: Record<string, Schema> }).schemas
const names = Object.keys(operations) as Array<OperationName>
const operationOf = (name: OperationName) => document.paths![routes[name].path]![routes[name].method.toLowerCase()] as Operation
const refName = (schema: Schema) => schema.$ref?.split("/").pop()
const codesIn = (schema: Schema): Array<string> => (schema.anyOf ?? [schema]).map((ref) => schemas[refName(ref)!]!.properties!.code!.const as string)

describe("the OpenAPI document", () => {
  it("answers each operation's own error codes, plus authentication, reading a body and defects, at their registry status", () => {
    for (const name of names) {
      const route = routes[name]
      const problems = Object.entries(operationOf(name).responses).filter(([status]) => Number(status) >= 400)
      const declared = problems.flatMap(([status, response]) =>
        codesIn(response.content["application/problem+json"]!.schema).map((code) => `${code} ${status}`),
      )
      const expected = ["unauthenticated", ...operationErrorCodes(name)].flatMap((code) => {
        const { status, statusWithIfMatch } = rmcErrors[code as keyof typeof rmcErrors]
        return [`${code} ${status}`, ...(route.ifMatch === true && statusWithIfMatch !== undefined ? [`${code} ${statusWithIfMatch}`] : [])]
      })
      const reading = inputInQuery(route) ? [] : ["malformed_json 400", "payload_too_large 413", "unsupported_media_type 415"]
      expect(declared.sort(), name).toEqual([...expected, ...reading, "internal 500"].sort())
    }
  })

  it("lists the errors that the key operations are known to fail with", () => {
    expect(operationErrorCodes("transferConversation")).toEqual(expect.arrayContaining(["not_found", "archived", "version_conflict", "policy_violation"]))
    expect(operationErrorCodes("callContact")).toEqual(
      expect.arrayContaining(["not_found", "no_phone_number", "idempotency_conflict", "telephony_unavailable", "call_rejected"]),
    )
    expect(operationErrorCodes("createKeyword")).toEqual(expect.arrayContaining(["forbidden", "name_taken"]))
    expect(operationErrorCodes("editNote")).toEqual(expect.arrayContaining(["forbidden", "version_conflict"]))
    expect(operationErrorCodes("transformContact")).toContain("invalid_transition")
    expect(operationErrorCodes("configureTenant")).toContain("contact_type_in_use")
    expect(operationErrorCodes("getDetails")).not.toContain("forbidden")
    for (const name of names) {
      expect(operationErrorCodes(name)).toEqual(expect.arrayContaining(["validation_failed", "storage_unavailable"]))
      for (const code of operationErrors[name]) expect(Object.keys(rmcErrors)).toContain(code)
    }
  })

  it("names every entity and request body as a component", () => {
    for (const name of names) {
      const operation = operationOf(name)
      const success = operation.responses[String(routes[name].status)]!.content["application/json"]!.schema
      const entity = success.items ?? success.properties?.items?.items ?? success
      expect(refName(entity), `${name} answers an anonymous schema`).toBeDefined()
      const body = operation.requestBody?.content["application/json"]?.schema
      if (body !== undefined) expect(refName(body)).toBe(`${name[0]!.toUpperCase()}${name.slice(1)}Input`)
    }
    expect(Object.keys(schemas)).toEqual(expect.arrayContaining(["Contact", "ConversationDetails", "Note", "AddNoteInput", "NotFoundProblem"]))
  })

  it("requires a body when its input has a required field, and has none when the path and headers carry everything", () => {
    for (const name of names) {
      const route = routes[name]
      const fromPath = new Set(pathParameters(route).map(([, field]) => field.split(".")[0]))
      const shape = (operations[name].input as unknown as z.ZodObject).shape
      const bodyFields = Object.entries(shape).filter(
        ([key]) => !fromPath.has(key) && key !== "idempotencyKey" && !(route.ifMatch === true && key === "expectedVersion"),
      )
      const body = operationOf(name).requestBody
      if (inputInQuery(route) || bodyFields.length === 0) expect(body, name).toBeUndefined()
      else
        expect(body?.required, name).toBe(
          bodyFields.some(([, schema]) => !(schema as z.ZodType).safeParse(undefined).success) ||
            name === "transferConversation" ||
            name === "recordCallStatus",
        )
    }
    expect(operationOf("addNote").requestBody?.required).toBe(true)
    expect(operationOf("updateContact").requestBody?.required).toBe(false)
  })

  it("states the cross-field rules of transfers and call status reports as alternatives of required fields", () => {
    const alternatives = (name: string) => schemas[name]!.anyOf!.map((branch) => [...branch.required!].sort())
    expect(alternatives("TransferConversationInput")).toEqual([["toAgentId"], ["toDepartmentId"]])
    expect(alternatives("RecordCallStatusInput")).toEqual([
      ["at", "callId", "status"],
      ["at", "providerCallId", "status"],
    ])
    // The rule itself did not change: the same issue, at the same place.
    const conversationId = "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11"
    expect(TransferConversationInput.safeParse({ conversationId }).error?.issues).toMatchObject([
      { path: ["toAgentId"], message: "give toAgentId, toDepartmentId or both" },
    ])
    expect(RecordCallStatusInput.safeParse({ status: "answered", at: "2026-01-05T10:00:00Z" }).error?.issues).toMatchObject([
      { path: ["callId"], message: "give callId or providerCallId" },
    ])
  })

  it("says which role each operation needs, and that a lower one is answered 403", () => {
    for (const name of names) {
      const operation = operationOf(name)
      expect(operation["x-required-role"]).toBe(operations[name].minRole)
      expect(operation.description).toContain(`\`${operations[name].minRole}\``)
      expect(operation.description.includes("403") || operations[name].minRole === "agent", name).toBe(true)
      const refusesSome = ["editNote", "deleteNote", "previewMerge", "mergeContacts", "unmergeContacts"].includes(name)
      expect("403" in operation.responses, name).toBe(operations[name].minRole !== "agent" || refusesSome)
    }
  })

  it("declares the headers the server answers with: WWW-Authenticate on 401, strong ETags, the Location of a creation", () => {
    for (const name of names) {
      const operation = operationOf(name)
      expect(Object.keys(operation.responses["401"]?.headers ?? {}), name).toContain("WWW-Authenticate")
      const success = operation.responses[String(routes[name].status)]!
      const versioned = operations[name].output instanceof z.ZodObject && "version" in (operations[name].output as z.ZodObject).shape
      expect("ETag" in (success.headers ?? {}), name).toBe(versioned)
      if (routes[name].ifMatch === true) {
        const ifMatch = operation.parameters?.find((p) => p.in === "header" && p.name === "If-Match") as { schema?: { description?: string } } | undefined
        expect(ifMatch?.schema?.description, name).toMatch(/`\*`.*weak/s)
      }
    }
    for (const [name, read] of [
      ["createContact", "/contacts/{contactId}"],
      ["openConversation", "/conversations/{conversationId}"],
      ["addNote", "/notes/{noteId}"],
    ] as const) {
      expect(operationOf(name).responses["201"]!.headers?.Location?.description, name).toContain(read)
    }
  })

  it("has examples that the operations' own schemas accept", () => {
    let checked = 0
    for (const [name, example] of Object.entries(operationExamples) as Array<[OperationName, { body?: unknown; output?: unknown }]>) {
      if (example.body !== undefined) {
        const pathFields = Object.fromEntries(pathParameters(routes[name]).map(([, field]) => [field, "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11"]))
        const required = name === "callContact" ? { idempotencyKey: "k" } : {}
        expect(operations[name].input.safeParse({ ...pathFields, ...required, ...example.body }).error, name).toBeUndefined()
        checked++
      }
      if (example.output !== undefined) {
        expect((operations[name].output as z.ZodType).safeParse(example.output).error, name).toBeUndefined()
        expect(operationOf(name).responses[String(routes[name].status)]!.content["application/json"]!.examples).toBeDefined()
        checked++
      }
    }
    expect(checked).toBeGreaterThan(4)
  })

  it("is served with the handler's mount path as its server, unless a server URL is given", async () => {
    const rmc = createRmc({ storage: memoryStorage() })
    const served = async (options: { basePath?: string; openapi?: { serverUrl: string } }) => {
      const handler = createRmcHandler({ rmc, authenticate: () => null, ...options })
      const response = await handler.fetch(new Request(`http://localhost${options.basePath ?? ""}/openapi.json`))
      return ((await response.json()) as { servers: unknown }).servers
    }
    expect(await served({})).toEqual([{ url: "/" }])
    expect(await served({ basePath: "/api/details" })).toEqual([{ url: "/api/details" }])
    expect(await served({ basePath: "/api/details", openapi: { serverUrl: "https://rmc.example.com/api/details" } })).toEqual([
      { url: "https://rmc.example.com/api/details" },
    ])
    await rmc.dispose()
  })
})
