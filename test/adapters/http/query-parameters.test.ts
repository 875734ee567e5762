import { Layer } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as z from "zod"
import { createRmcClient, createRmcHandler } from "../../../src/adapters/http"
import { type NodeServer, serveNode } from "../../../src/adapters/http/node"
import { queryReader } from "../../../src/adapters/http/query-reader"
import { type Route, routes } from "../../../src/adapters/http/routes"
import { createKyselyDatabase, makeKyselyStorage, migrateToLatest } from "../../../src/adapters/kysely"
import { memoryStorage } from "../../../src/adapters/memory"
import { ValidationError } from "../../../src/domain/shared/errors"
import type { Principal } from "../../../src/domain/shared/principal"
import { createRmc } from "../../../src/facade/create-rmc"
import { Storage } from "../../../src/ports/storage"
import { GetDetailsInput, ListCatalogInput } from "../../../src/use-cases/inputs"

// Names that a plain object answers through its prototype: a lookup that is not an own-property
// check finds a function (or Object.prototype) where a field's schema was expected.
const prototypeNames = [
  "__proto__",
  "constructor",
  "toString",
  "valueOf",
  "hasOwnProperty",
  "isPrototypeOf",
  "propertyIsEnumerable",
  "toLocaleString",
  "__defineGetter__",
  "__lookupSetter__",
]

describe("queryReader", () => {
  it("looks parameter names up as the schema's own fields", () => {
    expect(queryReader(GetDetailsInput)({ historyLimit: ["5"], conversationId: ["x"] })).toEqual({ historyLimit: 5, conversationId: "x" })
    expect(queryReader(ListCatalogInput)({ includeArchived: ["true"] })).toEqual({ includeArchived: true })
    for (const name of [...prototypeNames, "unknown"]) {
      const query: Record<string, Array<string>> = Object.create(null)
      query[name] = ["1"]
      expect(() => queryReader(ListCatalogInput)(query), name).toThrow(ValidationError)
      try {
        queryReader(ListCatalogInput)(query)
      } catch (error) {
        expect((error as ValidationError).issues).toEqual([{ path: [name], message: "unknown query parameter" }])
      }
    }
  })

  it("converts each parameter as its field's schema says, through wrappers and pipes", () => {
    const schema = z.object({
      count: z.number().int().optional(),
      ratio: z.number().default(1),
      on: z.boolean().nullable(),
      since: z.date().optional(),
      statuses: z.array(z.enum(["open", "pending"])).optional(),
      sizes: z.array(z.number()).default([]),
      big: z.bigint().optional(),
      trimmed: z.string().transform((s) => s.trim()),
    })
    const read = queryReader(schema)
    const input = read({
      count: ["-12"],
      ratio: ["1.5e2"],
      on: ["false"],
      since: ["2026-03-01T09:00:00Z"],
      statuses: ["open", "pending"],
      sizes: ["1", "2"],
      big: ["9007199254740993"],
      trimmed: [" a "],
    })
    expect(input).toEqual({
      count: -12,
      ratio: 150,
      on: false,
      since: new Date("2026-03-01T09:00:00Z"),
      statuses: ["open", "pending"],
      sizes: [1, 2],
      big: 9007199254740993n,
      trimmed: " a ",
    })
    expect(schema.parse(input).trimmed).toBe("a")
    // Values that do not convert stay strings, so that validation names the parameter.
    const wrong = read({ count: ["12abc"], on: ["yes"], since: ["yesterday"], sizes: ["1", "x"] })
    expect(wrong).toEqual({ count: "12abc", on: "yes", since: "yesterday", sizes: [1, "x"] })
    const issues = schema.safeParse(wrong).error!.issues.map((issue) => issue.path.join("."))
    expect(issues).toEqual(expect.arrayContaining(["count", "on", "since", "sizes.1"]))
  })

  it("refuses a scalar parameter given more than once", () => {
    expect(() => queryReader(GetDetailsInput)({ historyLimit: ["5", "6"] })).toThrow(/more than once/)
  })
})

const stores = {
  memory: async () => memoryStorage(),
  sqlite: async () => {
    const database = await createKyselyDatabase({ dialect: "sqlite", path: ":memory:" })
    await migrateToLatest(database.db, { dialect: database.dialect })
    return Layer.succeed(Storage, makeKyselyStorage({ db: database.db, dialect: database.dialect }))
  },
}

const admin: Principal = { tenantId: "acme", agentId: "root", role: "admin" }

for (const [storeName, open] of Object.entries(stores)) {
  describe(`query parameters on every GET and DELETE route (${storeName} store)`, () => {
    let server: NodeServer
    let rmc: ReturnType<typeof createRmc>
    const ids: Record<string, string> = {}

    beforeAll(async () => {
      rmc = createRmc({ storage: await open() })
      server = await serveNode(createRmcHandler({ rmc, authenticate: () => admin }))
      const api = rmc.as(admin)
      const contact = await api.createContact({ fullName: "Camille Martin", primaryPhone: "0612345678" })
      const conversation = await api.openConversation({ contactId: contact.id, channel: "sms" })
      const keyword = await api.createKeyword({ name: "Invoice" })
      const label = await api.createLabel({ name: "Hot", color: "#e11d48" })
      const note = await api.addNote({ subject: { kind: "conversation", id: conversation.id }, body: "Call back" })
      Object.assign(ids, {
        contactId: contact.id,
        conversationId: conversation.id,
        keywordId: keyword.id,
        labelId: label.id,
        noteId: note.id,
        kind: "conversation",
        id: conversation.id,
      })
    })
    afterAll(async () => {
      await server?.close()
      await rmc?.dispose()
    })

    const queryRoutes = Object.entries(routes).filter(([, route]) => route.method === "GET" || route.method === "DELETE") as Array<[string, Route]>
    const pathOf = (route: Route) => route.path.replace(/\{(\w+)\}/g, (_, name: string) => ids[name]!)

    it("covers every such route", () => {
      expect(queryRoutes.length).toBeGreaterThanOrEqual(18)
    })

    it.each(queryRoutes)("%s refuses a parameter named like an Object property with a 400 problem", async (_, route) => {
      for (const name of [...prototypeNames, "no_such_field"]) {
        const response = await fetch(`${server.url}${pathOf(route)}?${encodeURIComponent(name)}=1`, { method: route.method })
        expect(response.status, `${route.method} ${route.path}?${name}`).toBe(400)
        expect(response.headers.get("content-type")).toBe("application/problem+json")
        expect(await response.json()).toMatchObject({ status: 400, code: "validation_failed", issues: [{ path: [name] }] })
      }
    })

    it("still reads the known parameters, and the client sends unknown ones for the server to refuse, as the in-process API does", async () => {
      const listed = await fetch(`${server.url}/departments?includeArchived=true`)
      expect(listed.status).toBe(200)
      const page = await fetch(`${server.url}/contacts/${ids.contactId}/conversations?limit=1`)
      expect(await page.json()).toMatchObject({ items: [{ id: ids.conversationId }] })
      const client = createRmcClient({ baseUrl: server.url })
      const unknownField = { conversationId: ids.conversationId, constructor: "x", extra: 1 } as unknown as { conversationId: string }
      await expect(client.getConversation(unknownField)).rejects.toMatchObject({
        code: "validation_failed",
        issues: [{ path: ["constructor"] }, { path: ["extra"] }],
      })
    })

    it("refuses a NUL in a query parameter, a path or a body with a 400 problem", async () => {
      const cursor = await fetch(`${server.url}/contacts/${ids.contactId}/conversations?cursor=%00`)
      expect(cursor.status).toBe(400)
      const path = await fetch(`${server.url}/contacts/%00`)
      expect(path.status).toBe(400)
      const body = await fetch(`${server.url}/keywords`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: "in\u0000side" }),
      })
      expect(body.status).toBe(400)
      expect(await body.json()).toMatchObject({ code: "validation_failed", issues: [{ path: ["name"] }] })
    })
  })
}
