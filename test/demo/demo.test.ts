import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startDemo } from "../../demo/start-demo"

describe("the demo API", () => {
  let demo: Awaited<ReturnType<typeof startDemo>>
  const get = (path: string, token?: string) => fetch(`${demo.url}${path}`, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } })
  const search = async (token: string) =>
    (await (
      await fetch(`${demo.url}/conversations/search?limit=100`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({}),
      })
    ).json()) as {
      items: Array<{ id: string; channel: string; labels: Array<unknown> }>
    }

  beforeAll(async () => {
    demo = await startDemo({ port: 0, sqlitePath: ":memory:" })
  })
  afterAll(async () => {
    await demo?.close()
  })

  it("is seeded with two separate tenants, conversations on every channel", async () => {
    const telco = await search("telco-fr:camille:agent")
    const retail = await search("maison-lumiere:lucas:agent")
    expect(telco.items.length).toBeGreaterThanOrEqual(16)
    expect(new Set(telco.items.map((c) => c.channel))).toEqual(new Set(["whatsapp", "sms", "email", "voice", "webchat", "messenger", "instagram", "telegram"]))
    const retailIds = new Set(retail.items.map((c) => c.id))
    expect(telco.items.some((c) => retailIds.has(c.id))).toBe(false)
    const foreign = await get(`/conversations/${retail.items[0]!.id}/details`, "telco-fr:camille:agent")
    expect(foreign.status).toBe(404)
  })

  it("shows a seeded conversation's details panel", async () => {
    const telco = await search("telco-fr:camille:agent")
    const labelled = telco.items.find((c) => c.labels.length > 0)!
    const details = await (await get(`/conversations/${labelled.id}/details`, "telco-fr:camille:agent")).json()
    expect(details.notes.conversation.items.length).toBeGreaterThan(0)
    expect(details.notes.contact.items.length).toBeGreaterThan(0)
    expect(details.keywords).toHaveLength(2)
    expect(details.department).not.toBeNull()
    expect(details.actions.map((a: { name: string }) => a.name)).toContain("call")
    const volumes = await (
      await get("/reports/volumes?dimension=department&from=2020-01-01T00:00:00Z&to=2100-01-01T00:00:00Z", "telco-fr:sophie:supervisor")
    ).json()
    expect(volumes.length).toBeGreaterThan(3)
  })

  it("refuses requests without the demo credentials", async () => {
    expect((await get("/labels")).status).toBe(401)
    expect((await get("/labels", "unknown-tenant:x:agent")).status).toBe(401)
  })

  it("serves its OpenAPI document and an interactive reference from local files", async () => {
    expect((await (await get("/openapi.json")).json()).openapi).toBe("3.1.0")
    const page = await (await get("/docs")).text()
    expect(page).toContain("/docs/assets/swagger-ui-bundle.js")
    expect(page).not.toMatch(/https?:\/\//)
    const bundle = await get("/docs/assets/swagger-ui-bundle.js")
    expect(bundle.status).toBe(200)
    expect((await bundle.text()).length).toBeGreaterThan(100_000)
    expect((await get("/docs/assets/..%2Fpackage.json")).status).toBe(404)
  })
})
