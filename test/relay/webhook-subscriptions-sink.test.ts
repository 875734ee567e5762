import { createServer, type IncomingMessage, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { Layer } from "effect"
import { afterEach, describe, expect, it } from "vitest"
import { kyselyRelayStore, makeKyselyStorage, migrateToLatest } from "../../src/adapters/kysely"
import { makeMemoryStorage, makeMemoryTelephony } from "../../src/adapters/memory"
import { verifyWebhook } from "../../src/adapters/webhooks/standard-webhooks"
import { createRmc } from "../../src/facade/create-rmc"
import { Storage } from "../../src/ports/storage"
import { openSqlite } from "../adapters/kysely/databases"
import {
  makeMemoryRelayStore,
  type RelayHandle,
  type RelayStore,
  startRelay,
  type WebhookSinkReport,
  webhookSubscriptionsSink,
  type WebhookSubscriptionsSinkOptions,
} from "../../src/relay"

type Mode = "ok" | "fail" | "reset" | "slow" | "hang"

interface Received {
  readonly id: string
  readonly body: string
  readonly headers: Record<string, string>
  readonly envelope: {
    readonly id: string
    readonly type: string
    readonly tenantId: string
    readonly data: { readonly after: Record<string, unknown> | null }
  }
}

/** A webhook receiver on 127.0.0.1 whose answer the test sets: 2xx, 503, a reset connection, an answer after the timeout, none. */
const receiver = async () => {
  const received: Array<Received> = []
  let attempts = 0
  const state: { mode: Mode; failures: number } = { mode: "ok", failures: 0 }
  const readBody = (request: IncomingMessage) =>
    new Promise<string>((resolve) => {
      const chunks: Array<Buffer> = []
      request.on("data", (c: Buffer) => chunks.push(c))
      request.on("end", () => resolve(Buffer.concat(chunks).toString()))
    })
  const server: Server = createServer(async (request, response) => {
    const body = await readBody(request)
    attempts++
    // `failures` failing answers first, then `mode`.
    let mode: Mode = state.mode
    if (state.failures > 0) {
      state.failures--
      mode = "fail"
    }
    if (mode === "reset") return request.socket.destroy()
    if (mode === "hang") return
    if (mode === "fail") return response.writeHead(503).end()
    if (mode === "slow") await new Promise((r) => setTimeout(r, 700))
    const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, String(v)]))
    received.push({ id: headers["webhook-id"]!, body, headers, envelope: JSON.parse(body) })
    response.writeHead(204).end()
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`
  return {
    url,
    received,
    state,
    attempts: () => attempts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

const until = async (condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

const quick: WebhookSubscriptionsSinkOptions = {
  policy: { maxAttempts: 3, initialDelayMs: 5, maxDelayMs: 20, jitter: 0.5 },
  timeoutMs: 500,
  disableAfter: { deadLetters: 50 },
}

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

const stores = {
  memory: async () => ({ storage: makeMemoryStorage() as Storage["Service"], store: makeMemoryRelayStore() as RelayStore, close: async () => {} }),
  sqlite: async () => {
    const database = await openSqlite()
    await migrateToLatest(database.db, { dialect: database.dialect })
    return { storage: makeKyselyStorage(database), store: kyselyRelayStore(database), close: () => database.destroy() }
  },
}

/** The SDK on a store with a relay delivering to the webhook subscriptions. */
const setup = async (options: WebhookSubscriptionsSinkOptions = quick, on: keyof typeof stores = "memory", deferStart = false) => {
  const { storage, store, close } = await stores[on]()
  cleanups.push(close)
  const rmc = createRmc({ storage: Layer.succeed(Storage, storage), telephony: makeMemoryTelephony().layer })
  const reports: Array<WebhookSinkReport> = []
  let relay: RelayHandle | undefined
  const start = () => {
    relay = startRelay({ storage, store, sink: webhookSubscriptionsSink(storage, { ...options, onReport: (r) => reports.push(r) }), idleMs: 5 })
  }
  if (!deferStart) start()
  cleanups.push(async () => {
    await relay?.stop()
    await rmc.dispose()
  })
  const open = async () => {
    const r = await receiver()
    cleanups.push(r.close)
    return r
  }
  return {
    rmc,
    reports,
    start,
    open,
    admin: rmc.as({ tenantId: "acme", agentId: "root", role: "admin" }),
    sam: rmc.as({ tenantId: "acme", agentId: "sam", role: "supervisor" }),
    alice: rmc.as({ tenantId: "acme", agentId: "alice", role: "agent" }),
    globex: rmc.as({ tenantId: "globex", agentId: "eve", role: "admin" }),
  }
}

const departments = (r: { received: ReadonlyArray<Received> }) =>
  r.received.filter((x) => x.envelope.type === "department.created").map((x) => x.envelope.data.after?.name)

describe("webhook subscriptions delivered by the relay", () => {
  it.each(["memory", "sqlite"] as const)(
    "on %s: retries 5xx, resets and slow answers, dead-letters after the last attempt, moves on, and a replay delivers the dead letters",
    async (on) => {
      const s = await setup(quick, on)
      const hook = await s.open()
      const sub = await s.admin.createWebhookSubscription({ url: hook.url, eventTypes: ["department.created"] })

      hook.state.failures = 2 // two 503s, then a 2xx: delivered on the third attempt
      await s.sam.createDepartment({ name: "D1" })
      await until(() => departments(hook).includes("D1"), "D1")
      expect(hook.attempts()).toBe(3)

      hook.state.mode = "reset"
      await s.sam.createDepartment({ name: "D2" })
      hook.state.mode = "reset"
      await until(async () => (await s.admin.listWebhookDeadLetters({ subscriptionId: sub.id })).items.length === 1, "D2 dead-lettered")
      hook.state.mode = "slow" // answers after the 500 ms timeout
      await s.sam.createDepartment({ name: "D3" })
      await until(async () => (await s.admin.listWebhookDeadLetters({ subscriptionId: sub.id })).items.length === 2, "D3 dead-lettered")
      const letters = (await s.admin.listWebhookDeadLetters({ subscriptionId: sub.id })).items
      expect(letters.map((d) => [d.eventType, d.attempts])).toEqual([
        ["department.created", 3],
        ["department.created", 3],
      ])
      expect(letters[1]!.lastError).toMatch(/^network/)
      expect(letters[0]!.lastError).toMatch(/no answer within 500 ms/)
      expect(JSON.stringify(letters)).not.toContain("D2") // a listing shows no event data

      // The next event is not held back by the dead letters.
      hook.state.mode = "ok"
      await s.sam.createDepartment({ name: "D4" })
      await until(() => departments(hook).includes("D4"), "D4")
      // A delivery that succeeds clears the failure count (written once the receiver has answered).
      await until(async () => (await s.admin.getWebhookSubscription({ subscriptionId: sub.id })).consecutiveDeadLetters === 0, "the count cleared")

      const replay = await s.admin.replayWebhookDeadLetters({ subscriptionId: sub.id })
      expect(replay.deadLetters).toBe(2)
      await until(async () => (await s.admin.listWebhookDeadLetters({ subscriptionId: sub.id })).items.length === 0, "replay")
      expect(new Set(departments(hook))).toEqual(new Set(["D1", "D2", "D3", "D4"]))
      // D2 never got through before the replay; the replay sent the dead letters oldest first.
      expect(departments(hook).indexOf("D2")).toBeGreaterThan(departments(hook).indexOf("D4"))
      expect(s.reports.filter((r) => r.type === "replayed").map((r) => r.eventId)).toEqual([letters[1]!.eventId, letters[0]!.eventId])
      // D3's slow answers were recorded by the receiver after their timeouts: it may have D3 more
      // than once, always with one webhook-id, its event id.
      const ids = hook.received.filter((x) => x.envelope.data.after?.name === "D3").map((x) => x.id)
      expect(new Set(ids)).toEqual(new Set([letters[0]!.eventId]))
    },
  )

  it("sends each endpoint only the types it chose, internal events only to those that opted in, and only its tenant's", async () => {
    const s = await setup()
    const [typed, shareable, internal, other] = await Promise.all([s.open(), s.open(), s.open(), s.open()])
    await s.admin.createWebhookSubscription({ url: typed.url, eventTypes: ["note.added", "department.created"] })
    await s.admin.createWebhookSubscription({ url: shareable.url })
    const internalSub = await s.admin.createWebhookSubscription({ url: internal.url, includeInternal: true })
    await s.globex.createWebhookSubscription({ url: other.url, includeInternal: true })

    const contact = await s.alice.createContact({ fullName: "Camille Martin", type: "Lead", primaryPhone: "06 12 34 56 78" })
    const conversation = await s.alice.openConversation({ contactId: contact.id, channel: "whatsapp", assigneeId: "alice" })
    await s.alice.addNote({ subject: { kind: "conversation", id: conversation.id }, body: "Secret plan" })
    await s.sam.createDepartment({ name: "Last" })
    await until(() => [typed, shareable, internal].every((r) => departments(r).includes("Last")), "every endpoint")

    expect(typed.received.map((x) => x.envelope.type)).toEqual(["department.created"])
    expect(shareable.received.map((x) => x.envelope.type)).toEqual(["contact.created", "conversation.opened", "department.created"])
    expect(shareable.received.map((x) => x.body).join()).not.toContain("Camille")
    // Subscriptions are read when the relay delivers a batch: the internal endpoint may also hear
    // the creation of the subscriptions made just before it, in the same batch.
    const own = internal.received.filter((x) => x.envelope.type.startsWith("webhook_subscription."))
    expect(internal.received.slice(own.length).map((x) => x.envelope.type)).toEqual([
      "contact.created",
      "conversation.opened",
      "note.added",
      "department.created",
    ])
    expect(internal.received.find((x) => x.envelope.type === "note.added")!.body).toContain("Secret plan")
    expect(own.at(-1)!.envelope.data.after).toMatchObject({ url: internal.url })
    expect(own.map((x) => x.body).join()).not.toContain("whsec_")
    expect(internalSub.includeInternal).toBe(true)
    // Globex's endpoint hears only its own subscription being created.
    await until(() => other.received.length === 1, "globex's event")
    expect(other.received.map((x) => [x.envelope.tenantId, x.envelope.type])).toEqual([["globex", "webhook_subscription.created"]])
  })

  it("signs with the new and the previous secret during a rotation's grace period, then with the new one only", async () => {
    const s = await setup()
    const hook = await s.open()
    const created = await s.admin.createWebhookSubscription({ url: hook.url, eventTypes: ["department.created"] })
    const rotated = await s.admin.rotateWebhookSecret({ subscriptionId: created.id, graceSeconds: 3600 })
    await s.sam.createDepartment({ name: "During" })
    await until(() => departments(hook).includes("During"), "During")
    const during = hook.received.at(-1)!
    expect(during.headers["webhook-signature"]!.split(" ")).toHaveLength(2)
    await expect(verifyWebhook(during.body, during.headers, { secrets: [created.secret] })).resolves.toBe(during.id)
    await expect(verifyWebhook(during.body, during.headers, { secrets: [rotated.secret] })).resolves.toBe(during.id)

    const again = await s.admin.rotateWebhookSecret({ subscriptionId: created.id, graceSeconds: 0 })
    await s.sam.createDepartment({ name: "After" })
    await until(() => departments(hook).includes("After"), "After")
    const after = hook.received.at(-1)!
    await expect(verifyWebhook(after.body, after.headers, { secrets: [again.secret] })).resolves.toBe(after.id)
    await expect(verifyWebhook(after.body, after.headers, { secrets: [rotated.secret, created.secret] })).rejects.toMatchObject({ reason: "invalid_signature" })
  })

  it.each(["memory", "sqlite"] as const)(
    "on %s: disables an endpoint that keeps failing, records it, sends it nothing until an admin enables it again",
    async (on) => {
      const s = await setup({ ...quick, disableAfter: { deadLetters: 2 } }, on)
      const hook = await s.open()
      const sub = await s.admin.createWebhookSubscription({ url: hook.url, eventTypes: ["department.created"] })
      hook.state.mode = "fail"
      for (const name of ["F1", "F2", "F3"]) await s.sam.createDepartment({ name })
      await until(async () => !(await s.admin.getWebhookSubscription({ subscriptionId: sub.id })).enabled, "disabled")
      const disabled = await s.admin.getWebhookSubscription({ subscriptionId: sub.id })
      expect(disabled).toMatchObject({ enabled: false, disabledReason: "failing", consecutiveDeadLetters: 2 })
      const feed = (await s.admin.tenantActivity({ limit: 20 })).items
      expect(feed.find((e) => e.type === "webhook_subscription.disabled")).toMatchObject({ subjectId: sub.id, actorId: "relay:outbox" })
      // The third event came after it was disabled: never attempted.
      const attempts = hook.attempts()
      expect(attempts).toBe(6)

      hook.state.mode = "ok"
      await s.sam.createDepartment({ name: "While disabled" })
      await until(() => s.reports.some((r) => r.type === "disabled"), "the report")
      await s.sam.createDepartment({ name: "Marker" })
      await new Promise((r) => setTimeout(r, 200))
      expect(hook.attempts()).toBe(attempts)

      await s.admin.updateWebhookSubscription({ subscriptionId: sub.id, enabled: true })
      await s.sam.createDepartment({ name: "Enabled" })
      await until(() => departments(hook).includes("Enabled"), "Enabled")
      expect(departments(hook)).toEqual(["Enabled"])
      expect((await s.admin.getWebhookSubscription({ subscriptionId: sub.id })).consecutiveDeadLetters).toBe(0)

      // The dead letters are still there; a replay sends them, oldest first.
      expect((await s.admin.listWebhookDeadLetters({ subscriptionId: sub.id })).items).toHaveLength(2)
      await s.admin.replayWebhookDeadLetters({ subscriptionId: sub.id })
      await until(() => departments(hook).length === 3, "replay")
      expect(departments(hook)).toEqual(["Enabled", "F1", "F2"])
    },
  )

  it("a replay of one dead letter re-enables a disabled endpoint and sends that letter only", async () => {
    const s = await setup({ ...quick, disableAfter: { deadLetters: 2 } })
    const hook = await s.open()
    const sub = await s.admin.createWebhookSubscription({ url: hook.url, eventTypes: ["department.created"] })
    hook.state.mode = "fail"
    for (const name of ["F1", "F2"]) await s.sam.createDepartment({ name })
    await until(async () => !(await s.admin.getWebhookSubscription({ subscriptionId: sub.id })).enabled, "disabled")
    hook.state.mode = "ok"
    const letters = (await s.admin.listWebhookDeadLetters({ subscriptionId: sub.id })).items
    const replay = await s.admin.replayWebhookDeadLetters({ subscriptionId: sub.id, deadLetterId: letters[1]!.id })
    expect(replay).toMatchObject({ deadLetters: 1, subscription: { enabled: true, disabledReason: null, consecutiveDeadLetters: 0 } })
    await until(() => departments(hook).length === 1, "replay")
    expect(departments(hook)).toEqual(["F1"])
    await until(async () => (await s.admin.listWebhookDeadLetters({ subscriptionId: sub.id })).items.length === 1, "one letter left")
    await expect(s.globex.replayWebhookDeadLetters({ subscriptionId: sub.id, deadLetterId: letters[0]!.id })).rejects.toMatchObject({ code: "not_found" })
    const otherSub = await s.admin.createWebhookSubscription({ url: hook.url })
    await expect(s.admin.replayWebhookDeadLetters({ subscriptionId: otherSub.id, deadLetterId: letters[0]!.id })).rejects.toMatchObject({
      code: "not_found",
      entity: "webhook_dead_letter",
    })
  })

  it("a replay after a note was deleted sends its event without the note's body", async () => {
    const s = await setup()
    const hook = await s.open()
    const sub = await s.admin.createWebhookSubscription({ url: hook.url, eventTypes: ["note.added"], includeInternal: true })
    const contact = await s.alice.createContact({ fullName: "Camille Martin", type: "Lead", primaryPhone: "06 12 34 56 78" })
    hook.state.mode = "fail"
    const note = await s.alice.addNote({ subject: { kind: "contact", id: contact.id }, body: "Gone soon" })
    await until(async () => (await s.admin.listWebhookDeadLetters({ subscriptionId: sub.id })).items.length === 1, "dead letter")
    await s.alice.deleteNote({ noteId: note.id })
    hook.state.mode = "ok"
    await s.admin.replayWebhookDeadLetters({ subscriptionId: sub.id })
    await until(() => hook.received.length === 1, "replay")
    expect(hook.received[0]!.envelope.type).toBe("note.added")
    expect(hook.received[0]!.body).not.toContain("Gone soon")
  })

  it("an endpoint that never answers holds another tenant's endpoint back by at most its batch budget", async () => {
    // The relay starts once every event is written, so that they come in one batch.
    const s = await setup({ ...quick, timeoutMs: 200, batchBudgetMs: 300 }, "memory", true)
    const [stuck, healthy] = await Promise.all([s.open(), s.open()])
    stuck.state.mode = "hang"
    const stuckSub = await s.admin.createWebhookSubscription({ url: stuck.url, eventTypes: ["department.created"] })
    await s.globex.createWebhookSubscription({ url: healthy.url, eventTypes: ["department.created"] })
    const globexSam = s.rmc.as({ tenantId: "globex", agentId: "sam", role: "supervisor" })
    for (let i = 0; i < 5; i++) await s.sam.createDepartment({ name: `A${i}` })
    await globexSam.createDepartment({ name: "G" })
    s.start()
    await until(() => departments(healthy).includes("G"), "globex's event", 5_000)
    // The stuck endpoint's events are all set aside, those past its budget without an attempt.
    await until(async () => (await s.admin.listWebhookDeadLetters({ subscriptionId: stuckSub.id })).items.length === 5, "dead letters")
    const letters = (await s.admin.listWebhookDeadLetters({ subscriptionId: stuckSub.id })).items
    expect(letters.some((d) => d.attempts === 0 && d.lastError.startsWith("not attempted"))).toBe(true)
    // Set aside for lack of time only, they do not count towards disabling.
    expect((await s.admin.getWebhookSubscription({ subscriptionId: stuckSub.id })).consecutiveDeadLetters).toBeLessThan(5)
  })
})
