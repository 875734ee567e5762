import { afterAll, describe, expect, it } from "vitest"
import { createRmcHandler } from "../../../src/adapters/http"
import { serveNode } from "../../../src/adapters/http/node"
import { memoryStorage } from "../../../src/adapters/memory"
import type { Principal } from "../../../src/domain/shared/principal"
import { createRmc } from "../../../src/facade/create-rmc"

const root: Principal = { tenantId: "acme", agentId: "root", role: "admin" }
const alice: Principal = { tenantId: "acme", agentId: "alice", role: "agent" }

describe("the agent directory over HTTP", () => {
  const rmc = createRmc({ storage: memoryStorage() })
  const tokens: Record<string, Principal> = { root, alice }
  const serving = serveNode(
    createRmcHandler({ rmc, authenticate: (request) => tokens[request.headers.get("authorization")?.replace("Bearer ", "") ?? ""] ?? null }),
  )
  afterAll(async () => {
    await (await serving).close()
    await rmc.dispose()
  })
  const call = async (path: string, token: string, init: RequestInit = {}) =>
    fetch(`${(await serving).url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...(init.headers as Record<string, string>) },
    })

  it("creates an agent at its own address, changes it under If-Match, deactivates it, and lists the directory", async () => {
    const created = await call("/agents", "root", { method: "POST", body: JSON.stringify({ agentId: "bob.martin", displayName: "Bob Martin" }) })
    expect(created.status).toBe(201)
    expect(created.headers.get("location")).toBe("/agents/bob.martin")
    expect(created.headers.get("etag")).toBe('"1"')
    const forbidden = await call("/agents", "alice", { method: "POST", body: JSON.stringify({ agentId: "eve", displayName: "Eve" }) })
    expect(forbidden.status).toBe(403)
    const stale = await call("/agents/bob.martin", "root", { method: "PATCH", headers: { "if-match": '"7"' }, body: JSON.stringify({ role: "supervisor" }) })
    expect(stale.status).toBe(412)
    const changed = await call("/agents/bob.martin", "root", { method: "PATCH", headers: { "if-match": '"1"' }, body: JSON.stringify({ role: "supervisor" }) })
    expect(await changed.json()).toMatchObject({ role: "supervisor", version: 2 })
    const deactivated = await call("/agents/bob.martin/deactivate", "root", { method: "POST", body: "{}" })
    expect(await deactivated.json()).toMatchObject({ active: false, version: 3 })
    expect(await (await call("/agents?includeInactive=true", "alice")).json()).toMatchObject({ items: [{ id: "bob.martin" }], nextCursor: null })
    expect(await (await call("/agents", "alice")).json()).toEqual({ items: [], nextCursor: null })
    expect((await call("/agents/nobody", "alice")).status).toBe(404)
  })
})
