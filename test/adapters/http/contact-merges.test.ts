import { afterAll, describe, expect, it } from "vitest"
import { createRmcHandler } from "../../../src/adapters/http"
import { serveNode } from "../../../src/adapters/http/node"
import { memoryStorage } from "../../../src/adapters/memory"
import type { Principal } from "../../../src/domain/shared/principal"
import { createRmc } from "../../../src/facade/create-rmc"

const sam: Principal = { tenantId: "acme", agentId: "sam", role: "supervisor" }
const alice: Principal = { tenantId: "acme", agentId: "alice", role: "agent" }
const eve: Principal = { tenantId: "globex", agentId: "eve", role: "admin" }

describe("contact merges over HTTP", () => {
  const rmc = createRmc({ storage: memoryStorage() })
  const tokens: Record<string, Principal> = { sam, alice, eve }
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
  const post = (path: string, token: string, body: unknown) => call(path, token, { method: "POST", body: JSON.stringify(body) })

  it("previews, merges, answers 410 merged for the tombstone, refuses with 422 and 403, and unmerges", async () => {
    const api = rmc.as(sam)
    const primary = await api.createContact({ fullName: "Marie Curie", primaryPhone: "+33612000001" })
    const secondary = await api.createContact({ fullName: "M. Curie", primaryPhone: "+33612000002" })
    await api.openConversation({ contactId: secondary.id, channel: "sms" })
    const ids = { primaryId: primary.id, secondaryId: secondary.id }

    const preview = await post("/contact-merges/preview", "sam", ids)
    expect(preview.status).toBe(200)
    expect(await preview.json()).toMatchObject({
      moves: { conversations: 1, phones: ["+33612000002"] },
      conflicts: [
        { field: "fullName", primary: "Marie Curie", secondary: "M. Curie" },
        { field: "primaryPhone", primary: "+33612000001", secondary: "+33612000002" },
      ],
    })
    expect((await post("/contact-merges", "alice", ids)).status).toBe(403)
    expect((await post("/contact-merges", "eve", ids)).status).toBe(404)
    const self = await post("/contact-merges", "sam", { primaryId: primary.id, secondaryId: primary.id })
    expect(self.status).toBe(422)
    expect(await self.json()).toMatchObject({ type: "urn:rmc-details:problem:merge_refused", code: "merge_refused", reason: "same_contact" })

    const merged = await post("/contact-merges", "sam", { ...ids, choose: { fullName: "secondary" } })
    expect(merged.status).toBe(200)
    const { mergeId, primary: kept } = (await merged.json()) as { mergeId: string; primary: { fullName: string } }
    expect(kept.fullName).toBe("M. Curie")
    const tombstone = await call(`/contacts/${secondary.id}`, "alice")
    expect(tombstone.status).toBe(410)
    expect(tombstone.headers.get("content-type")).toContain("application/problem+json")
    expect(await tombstone.json()).toMatchObject({
      type: "urn:rmc-details:problem:merged",
      status: 410,
      code: "merged",
      contactId: secondary.id,
      mergedInto: primary.id,
    })

    expect((await post(`/contact-merges/${mergeId}/unmerge`, "eve", {})).status).toBe(404)
    const unmerged = await post(`/contact-merges/${mergeId}/unmerge`, "sam", {})
    expect(unmerged.status).toBe(200)
    expect(await unmerged.json()).toMatchObject({ mergeId, primary: { fullName: "Marie Curie" }, secondary: { id: secondary.id, fullName: "M. Curie" } })
    expect((await call(`/contacts/${secondary.id}`, "alice")).status).toBe(200)
    const twice = await post(`/contact-merges/${mergeId}/unmerge`, "sam", {})
    expect(await twice.json()).toMatchObject({ status: 422, reason: "already_unmerged" })
  })
})
