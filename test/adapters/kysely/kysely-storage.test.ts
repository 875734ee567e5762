import { Effect, Layer } from "effect"
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type KyselyDatabase, makeKyselyStorage, migrateToLatest, tableNames } from "../../../src/adapters/kysely"
import { StorageError } from "../../../src/domain/shared/errors"
import { createRmc } from "../../../src/facade/create-rmc"
import { Clock } from "../../../src/ports/clock"
import { Storage } from "../../../src/ports/storage"
import { mysqlUrl, openMysql, openPglite, openPostgres, openSqlite, postgresUrl } from "./databases"

/** Counts the statements sent to the database, and fails the `failAt`-th one when asked. */
class Statements implements KyselyPlugin {
  count = 0
  failAt = 0
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.count++
    if (this.failAt > 0 && this.count === this.failAt) throw new Error("injected: connection lost during insert into secret_table")
    return args.node
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result
  }
}

const targets: Array<[string, () => Promise<KyselyDatabase>]> = [
  ["sqlite", openSqlite],
  ["pglite", openPglite],
  ...(postgresUrl === undefined ? [] : [["postgres", () => openPostgres(postgresUrl as string)] as [string, () => Promise<KyselyDatabase>]]),
  ...(mysqlUrl === undefined ? [] : [["mysql", () => openMysql(mysqlUrl as string)] as [string, () => Promise<KyselyDatabase>]]),
]

let clockMs = Date.parse("2026-03-01T09:00:00.000Z")
const clock = Clock.layerFrom(() => new Date(clockMs++))

for (const [name, open] of targets) {
  describe(`kysely store on ${name}`, () => {
    let database: KyselyDatabase
    const statements = new Statements()
    beforeAll(async () => {
      database = await open()
      await migrateToLatest(database.db, { dialect: database.dialect })
    })
    afterAll(async () => {
      await database?.destroy()
    })
    const rmcWith = (plugin?: KyselyPlugin) => {
      const db = plugin === undefined ? database.db : database.db.withPlugin(plugin)
      return createRmc({ storage: Layer.succeed(Storage, makeKyselyStorage({ db, dialect: database.dialect })), clock })
    }
    const tenant = () => `t-${crypto.randomUUID().slice(0, 13)}`

    it("resolves the sender of an inbound message in one statement when the contact exists", async () => {
      const principal = { tenantId: tenant(), agentId: "inbound", role: "agent" as const }
      const api = rmcWith().as(principal)
      const created = await api.resolveContact({ channel: "whatsapp", handle: "+33 6 12 34 56 78", fullName: "Marie Curie" })
      expect(created.created).toBe(true)
      const counted = rmcWith(statements).as(principal)
      for (const [channel, handle] of [
        ["whatsapp", "+33612345678"],
        ["sms", "+33 6 12 34 56 78"],
      ] as const) {
        statements.count = 0
        expect(await counted.resolveContact({ channel, handle })).toEqual({ created: false, contact: created.contact })
        expect(statements.count).toBe(1)
      }
      // A number in national form reads the tenant's region first.
      statements.count = 0
      expect((await counted.resolveContact({ channel: "voice", handle: "06 12 34 56 78" })).contact.id).toBe(created.contact.id)
      expect(statements.count).toBe(2)
      statements.count = 0
      expect((await counted.findContacts({ channel: "telegram", handle: "@nobody" })).items).toEqual([])
      expect(statements.count).toBe(1)
    })

    it("reads the details panel in one statement, whatever the size of the history", async () => {
      const rmc = rmcWith()
      const principal = { tenantId: tenant(), agentId: "alice", role: "admin" as const }
      const api = rmc.as(principal)
      const contact = await api.createContact({ fullName: "Camille Martin", primaryPhone: "0612345678" })
      const conversation = await api.openConversation({ contactId: contact.id, channel: "whatsapp" })
      for (let i = 0; i < 30; i++) await api.openConversation({ contactId: contact.id, channel: "email" })
      for (let i = 0; i < 46; i++)
        await api.addNote({ subject: { kind: i % 2 ? "contact" : "conversation", id: i % 2 ? contact.id : conversation.id }, body: `note ${i}` })
      for (let i = 0; i < 5; i++) {
        const keyword = await api.createKeyword({ name: `kw ${i}` })
        await api.attachKeyword({ conversationId: conversation.id, keywordId: keyword.id })
        await api.createLabel({ name: `label ${i}`, color: "#aabbcc", applyTo: conversation.id })
      }
      const counted = rmcWith(statements).as(principal)
      statements.count = 0
      const details = await counted.getDetails({ conversationId: conversation.id, historyLimit: 20 })
      expect(statements.count).toBe(1)
      // 23 notes on each subject: a first page of 20 and a cursor to the rest.
      expect(details.notes.contact.items).toHaveLength(20)
      expect(details.notes.contact.nextCursor).not.toBeNull()
      expect(details.notes.conversation.items).toHaveLength(20)
      expect(details.notes.conversation.nextCursor).not.toBeNull()
      expect(details.keywords).toHaveLength(5)
      expect(details.labels).toHaveLength(5)
      expect(details.conversations.items).toHaveLength(20)
      expect(details.conversations.nextCursor).not.toBeNull()

      // An agent of a department under the tenant's department rules: still one statement, full pages.
      const sales = await api.createDepartment({ name: "Sales" })
      await api.assignDepartment({ conversationId: conversation.id, departmentId: sales.id })
      await api.configureTenant({ visibility: { notes: "department", history: "department" } })
      const agent = rmcWith(statements).as({ tenantId: principal.tenantId, agentId: "sara", role: "agent", departmentIds: [sales.id] })
      // The first read after the rules changed learns them (a second statement); then one each time.
      statements.count = 0
      await agent.getDetails({ conversationId: conversation.id, historyLimit: 20 })
      expect(statements.count).toBe(2)
      statements.count = 0
      const ruled = await agent.getDetails({ conversationId: conversation.id, historyLimit: 20 })
      expect(statements.count).toBe(1)
      expect(ruled.notes.contact.items).toEqual([])
      expect(ruled.notes.conversation.items).toHaveLength(20)
      expect(ruled.conversations.items).toHaveLength(20)
      await rmc.dispose()
    })

    it("leaves nothing half-written when the database fails in the middle of a command", async () => {
      const principal = { tenantId: tenant(), agentId: "alice", role: "admin" as const }
      const api = rmcWith().as(principal)
      const contact = await api.createContact({ fullName: "Camille Martin" })
      const conversation = await api.openConversation({ contactId: contact.id, channel: "sms" })
      const department = await api.createDepartment({ name: "Support" })
      const snapshot = async () => {
        const t = tableNames()
        const counts: Record<string, unknown> = {}
        // The outbox's bookkeeping tables exist only on the databases whose ordering uses them.
        const bookkeeping = new Set<string>([t.outboxSequence, t.outboxGate, t.relays])
        for (const table of Object.values(t).filter((table) => !bookkeeping.has(table))) {
          const row = await database.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as("n"))
            .executeTakeFirstOrThrow()
          counts[table] = Number(row.n)
        }
        counts.conversation = await api.getConversation({ conversationId: conversation.id })
        if (database.dialect === "sqlite") counts.sequence = (await database.db.selectFrom(t.outboxSequence).selectAll().executeTakeFirst())?.position
        return counts
      }
      const before = await snapshot()
      // Count the statements of a transfer with its note, then fail each one in turn.
      const probe = new Statements()
      const probing = rmcWith(probe).as(principal)
      const trial = { conversationId: conversation.id, toAgentId: "bob", toDepartmentId: department.id, note: "Handing over" }
      probe.count = 0
      const transferred = await probing.transferConversation(trial)
      const total = probe.count
      expect(total).toBeGreaterThan(4)
      // Put the conversation back as it was, so that every failing run takes the same path.
      const back = await api.transferConversation({ conversationId: conversation.id, toAgentId: "alice", expectedVersion: transferred.version })
      await api.assignDepartment({ conversationId: conversation.id, departmentId: null, expectedVersion: back.version })
      const reference = await snapshot()
      for (let failAt = 1; failAt <= total; failAt++) {
        const injector = new Statements()
        injector.failAt = failAt
        const failing = rmcWith(injector).as(principal)
        const error = await failing.transferConversation({ ...trial, note: `attempt ${failAt}` }).catch((e: unknown) => e)
        expect(error, `statement ${failAt} of ${total}`).toBeInstanceOf(StorageError)
        expect(String((error as Error).message)).not.toMatch(/secret_table|insert|select|update/i)
        expect(JSON.stringify(error)).not.toContain("secret_table")
        expect(await snapshot()).toEqual(reference)
      }
      expect(before).not.toEqual(reference)
    })

    it("keeps every concurrent tag and note of agents working on one conversation", async () => {
      const principal = { tenantId: tenant(), agentId: "sam", role: "supervisor" as const }
      const rmc = rmcWith()
      const api = rmc.as(principal)
      const contact = await api.createContact({ fullName: "Camille Martin" })
      const conversation = await api.openConversation({ contactId: contact.id, channel: "webchat" })
      const keywords = await Promise.all(Array.from({ length: 8 }, (_, i) => api.createKeyword({ name: `parallel ${i}` })))
      const agents = Array.from({ length: 8 }, (_, i) => rmc.as({ tenantId: principal.tenantId, agentId: `agent-${i}`, role: "agent" }))
      await Promise.all(agents.map((agent, i) => agent.attachKeyword({ conversationId: conversation.id, keywordId: keywords[i]!.id })))
      await Promise.all(agents.map((agent, i) => agent.addNote({ subject: { kind: "conversation", id: conversation.id }, body: `from agent ${i}` })))
      const details = await api.getDetails({ conversationId: conversation.id })
      expect(details.keywords).toHaveLength(8)
      expect(details.notes.conversation.items).toHaveLength(8)
      // eight writers on the status: each one wins or gets a typed conflict, none is lost
      const current = await api.getConversation({ conversationId: conversation.id })
      const results = await Promise.allSettled(
        agents.map((agent, i) =>
          agent.setConversationStatus({ conversationId: conversation.id, status: i % 2 ? "pending" : "resolved", expectedVersion: current.version }),
        ),
      )
      const wins = results.filter((r) => r.status === "fulfilled")
      expect(wins.length).toBeGreaterThanOrEqual(1)
      for (const r of results) if (r.status === "rejected") expect(r.reason).toMatchObject({ code: "version_conflict" })
      const after = await api.getConversation({ conversationId: conversation.id })
      expect(after.version).toBe(current.version + 1)
      await rmc.dispose()
    })

    it("surfaces database failures as storage errors without SQL", async () => {
      const broken = makeKyselyStorage({ db: database.db, dialect: database.dialect, tablePrefix: "missing_" })
      const error = await Effect.runPromise(Effect.flip(broken.query((r) => r.contacts.get("acme", crypto.randomUUID()))))
      expect(error).toBeInstanceOf(StorageError)
      expect(error.message).toBe("The database failed to answer")
      expect(JSON.stringify(error)).not.toContain("missing_")
    })

    it("migrates idempotently, and two table prefixes live side by side", async () => {
      await migrateToLatest(database.db, { dialect: database.dialect })
      await migrateToLatest(database.db, { dialect: database.dialect, tablePrefix: "other_" })
      await migrateToLatest(database.db, { dialect: database.dialect, tablePrefix: "other_" })
      const principal = { tenantId: tenant(), agentId: "alice", role: "agent" as const }
      const main = rmcWith().as(principal)
      const other = createRmc({
        storage: Layer.succeed(Storage, makeKyselyStorage({ db: database.db, dialect: database.dialect, tablePrefix: "other_" })),
      }).as(principal)
      const contact = await main.createContact({ fullName: "Only in main" })
      await expect(other.getContact({ contactId: contact.id })).rejects.toMatchObject({ code: "not_found" })
      expect((await other.createContact({ fullName: "Only in other" })).fullName).toBe("Only in other")
    })
  })
}
