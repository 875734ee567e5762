import { Layer } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type KyselyDatabase, makeKyselyStorage, migrateToLatest } from "../../../src/adapters/kysely"
import { createRmc } from "../../../src/facade/create-rmc"
import { Storage } from "../../../src/ports/storage"
import { mysqlUrl, openMysql, openPostgres, openSqlite, postgresUrl } from "./databases"

// SQLite always: one writer at a time, its writers wait on the database's lock instead of deadlocking.
const servers: Array<[string, () => Promise<KyselyDatabase>]> = [
  ["SQLite", openSqlite],
  ...(postgresUrl === undefined ? [] : [["PostgreSQL", () => openPostgres(postgresUrl as string)] as [string, () => Promise<KyselyDatabase>]]),
  ...(mysqlUrl === undefined ? [] : [["MariaDB", () => openMysql(mysqlUrl as string)] as [string, () => Promise<KyselyDatabase>]]),
]

const agents = 32
const callsPerAgent = 10

for (const [name, open] of servers) {
  describe(`${agents} agents tagging one conversation on ${name}`, () => {
    let database: KyselyDatabase
    beforeAll(async () => {
      database = await open()
      await migrateToLatest(database.db, { dialect: database.dialect })
    })
    afterAll(() => database?.destroy())

    it("never fail each other: deadlocks are retried by the store, every call succeeds", async () => {
      const rmc = createRmc({
        storage: Layer.succeed(
          Storage,
          makeKyselyStorage({
            db: database.db,
            dialect: database.dialect,
            ...(process.env.RMC_RACE_ATTEMPTS === undefined ? {} : { retry: { attempts: Number(process.env.RMC_RACE_ATTEMPTS) } }),
          }),
        ),
      })
      const tenantId = `t-${crypto.randomUUID().slice(0, 13)}`
      const admin = rmc.as({ tenantId, agentId: "admin", role: "admin" })
      const contact = await admin.createContact({ fullName: "Camille Martin" })
      const conversation = await admin.openConversation({ contactId: contact.id, channel: "whatsapp" })
      const labels = await Promise.all(Array.from({ length: 4 }, (_, i) => admin.createLabel({ name: `race ${i}`, color: "#aabbcc" })))
      const outcomes = await Promise.allSettled(
        Array.from({ length: agents }, async (_, a) => {
          const agent = rmc.as({ tenantId, agentId: `agent-${a}`, role: "agent" })
          const results: Array<unknown> = []
          for (let i = 0; i < callsPerAgent; i++) {
            const labelId = labels[(a + i) % labels.length]!.id
            const call =
              i % 2 === 0 ? agent.applyLabel({ conversationId: conversation.id, labelId }) : agent.removeLabel({ conversationId: conversation.id, labelId })
            results.push(
              await call.then(
                () => "ok",
                (error: unknown) => error,
              ),
            )
          }
          return results
        }),
      )
      const results = outcomes.flatMap((outcome) => (outcome.status === "fulfilled" ? outcome.value : [outcome.reason]))
      const failures = results.filter((result) => result !== "ok")
      expect(results).toHaveLength(agents * callsPerAgent)
      const codes = failures.map((failure) => (failure as { code?: string }).code ?? String(failure))
      expect(failures.length, `${failures.length} of ${results.length} calls failed: ${[...new Set(codes)].join(", ")}`).toBe(0)
      const ids = new Set(labels.map((label) => label.id))
      for (const label of (await admin.getDetails({ conversationId: conversation.id })).labels) expect(ids.has(label.id)).toBe(true)
      await rmc.dispose()
    })
  })
}
