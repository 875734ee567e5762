import { describe, expect, it } from "vitest"
import { fixture } from "./fixture"

describe("webhook subscriptions", () => {
  it("are managed by admins only, and a read never shows a secret", async () => {
    const f = fixture()
    const created = await f.root.createWebhookSubscription({
      url: "https://crm.example.com/hooks/rmc",
      eventTypes: ["conversation.status_changed"],
      description: "CRM",
    })
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/)
    expect(created).toMatchObject({
      tenantId: "acme",
      enabled: true,
      includeInternal: false,
      eventTypes: ["conversation.status_changed"],
      description: "CRM",
      version: 1,
      consecutiveDeadLetters: 0,
    })
    const read = await f.root.getWebhookSubscription({ subscriptionId: created.id })
    const { secret: _secret, ...visible } = created
    expect(read).toEqual(visible)
    expect(JSON.stringify(read)).not.toContain(created.secret.slice(6))
    const listed = await f.root.listWebhookSubscriptions({ limit: 10 })
    expect(listed).toEqual({ items: [visible], nextCursor: null })
    expect(JSON.stringify(listed)).not.toContain("whsec_")
    for (const who of [f.alice, f.sam]) {
      await expect(who.createWebhookSubscription({ url: "https://crm.example.com/x" })).rejects.toMatchObject({ code: "forbidden" })
      await expect(who.listWebhookSubscriptions({})).rejects.toMatchObject({ code: "forbidden" })
      await expect(who.getWebhookSubscription({ subscriptionId: created.id })).rejects.toMatchObject({ code: "forbidden" })
      await expect(who.replayWebhookDeadLetters({ subscriptionId: created.id })).rejects.toMatchObject({ code: "forbidden" })
    }
  })

  it("accept https, http only on the loopback interface or when allowed explicitly", async () => {
    const f = fixture()
    await expect(f.root.createWebhookSubscription({ url: "http://crm.example.com/hook" })).rejects.toMatchObject({
      code: "validation_failed",
      issues: [{ path: ["url"] }],
    })
    await expect(f.root.createWebhookSubscription({ url: "ftp://crm.example.com/hook" })).rejects.toMatchObject({ code: "validation_failed" })
    await expect(f.root.createWebhookSubscription({ url: "https://user:pw@crm.example.com/hook" })).rejects.toMatchObject({ code: "validation_failed" })
    await expect(f.root.createWebhookSubscription({ url: "not a url" })).rejects.toMatchObject({ code: "validation_failed" })
    await expect(f.root.createWebhookSubscription({ url: "https://crm.example.com", eventTypes: ["no.such_type" as never] })).rejects.toMatchObject({
      code: "validation_failed",
    })
    expect((await f.root.createWebhookSubscription({ url: "http://127.0.0.1:9000/hook" })).url).toBe("http://127.0.0.1:9000/hook")
    expect((await f.root.createWebhookSubscription({ url: "http://localhost/hook" })).enabled).toBe(true)
    expect((await f.root.createWebhookSubscription({ url: "http://10.0.0.7/hook", allowHttp: true })).url).toBe("http://10.0.0.7/hook")
    expect((await f.root.listWebhookSubscriptions({})).items).toHaveLength(3)
  })

  it("update with a version check, rotate the secret, delete; each change on the tenant's feed, never its secret", async () => {
    const f = fixture()
    const created = await f.root.createWebhookSubscription({ url: "https://crm.example.com/a" })
    const updated = await f.root.updateWebhookSubscription({
      subscriptionId: created.id,
      url: "https://crm.example.com/b",
      eventTypes: ["note.added"],
      includeInternal: true,
      expectedVersion: 1,
    })
    expect(updated).toMatchObject({ url: "https://crm.example.com/b", eventTypes: ["note.added"], includeInternal: true, version: 2 })
    await expect(f.root.updateWebhookSubscription({ subscriptionId: created.id, enabled: false, expectedVersion: 1 })).rejects.toMatchObject({
      code: "version_conflict",
    })
    const disabled = await f.root.updateWebhookSubscription({ subscriptionId: created.id, enabled: false, eventTypes: null })
    expect(disabled).toMatchObject({ enabled: false, disabledReason: "manual", eventTypes: null, version: 3 })
    const rotated = await f.root.rotateWebhookSecret({ subscriptionId: created.id, graceSeconds: 3600 })
    expect(rotated.secret).not.toBe(created.secret)
    expect(rotated.secret).toMatch(/^whsec_/)
    expect(Date.parse(rotated.previousSecretExpiresAt!) - Date.parse(rotated.updatedAt)).toBe(3_600_000)
    const deleted = await f.root.deleteWebhookSubscription({ subscriptionId: created.id })
    expect(deleted.id).toBe(created.id)
    await expect(f.root.getWebhookSubscription({ subscriptionId: created.id })).rejects.toMatchObject({ code: "not_found", entity: "webhook_subscription" })
    const feed = (await f.root.tenantActivity({ limit: 10 })).items
    expect(feed.map((e) => e.type)).toEqual([
      "webhook_subscription.deleted",
      "webhook_subscription.secret_rotated",
      "webhook_subscription.updated",
      "webhook_subscription.updated",
      "webhook_subscription.created",
    ])
    const text = JSON.stringify(feed)
    expect(text).not.toContain(created.secret.slice(6))
    expect(text).not.toContain(rotated.secret.slice(6))
  })

  it("keep tenants apart", async () => {
    const f = fixture()
    const acme = await f.root.createWebhookSubscription({ url: "https://crm.example.com/acme" })
    const globex = await f.eve.createWebhookSubscription({ url: "https://crm.example.com/globex" })
    expect((await f.eve.listWebhookSubscriptions({})).items.map((s) => s.id)).toEqual([globex.id])
    await expect(f.eve.getWebhookSubscription({ subscriptionId: acme.id })).rejects.toMatchObject({ code: "not_found" })
    await expect(f.eve.updateWebhookSubscription({ subscriptionId: acme.id, enabled: false })).rejects.toMatchObject({ code: "not_found" })
    await expect(f.eve.rotateWebhookSecret({ subscriptionId: acme.id })).rejects.toMatchObject({ code: "not_found" })
    await expect(f.eve.deleteWebhookSubscription({ subscriptionId: acme.id })).rejects.toMatchObject({ code: "not_found" })
    await expect(f.eve.listWebhookDeadLetters({ subscriptionId: acme.id })).rejects.toMatchObject({ code: "not_found" })
    await expect(f.eve.replayWebhookDeadLetters({ subscriptionId: acme.id })).rejects.toMatchObject({ code: "not_found" })
    expect((await f.root.getWebhookSubscription({ subscriptionId: acme.id })).enabled).toBe(true)
  })

  it("page through subscriptions newest first", async () => {
    const f = fixture()
    const ids: Array<string> = []
    for (let i = 0; i < 5; i++) ids.push((await f.root.createWebhookSubscription({ url: `https://crm.example.com/${i}` })).id)
    const first = await f.root.listWebhookSubscriptions({ limit: 3 })
    const second = await f.root.listWebhookSubscriptions({ limit: 3, cursor: first.nextCursor! })
    expect([...first.items, ...second.items].map((s) => s.id)).toEqual(ids.reverse())
    expect(second.nextCursor).toBeNull()
  })
})
