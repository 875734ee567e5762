import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { type KyselyDatabase, kyselyRelayStore, makeKyselyStorage, migrateToLatest } from "../../src/adapters/kysely"
import { makeMemoryStorage } from "../../src/adapters/memory/memory-storage"
import type { ActivityEvent } from "../../src/domain/activity/activity-event"
import type { Storage } from "../../src/ports/storage"
import { makeMemoryRelayStore, makeMemorySink, type RelayStore, startRelay } from "../../src/relay"
import { mysqlUrl, openMysql, openPostgres, openSqlite, postgresUrl } from "../adapters/kysely/databases"

// `npm run test:relay:heavy` runs 10,000 events through each store; `npm test` a smaller run.
const total = process.env.RMC_RELAY_HEAVY === "1" ? 10_000 : 1_000
const tenants = Array.from({ length: 8 }, (_, i) => `tenant-${i}`)

const targets: Array<readonly [string, () => Promise<{ storage: Storage["Service"]; store: RelayStore; close(): Promise<void> }>]> = [
  ["memory", async () => ({ storage: makeMemoryStorage(), store: makeMemoryRelayStore(), close: async () => {} })],
  ...(
    [
      ["sqlite", openSqlite],
      ...(postgresUrl === undefined ? [] : [["postgres", () => openPostgres(postgresUrl!)]]),
      ...(mysqlUrl === undefined ? [] : [["mysql", () => openMysql(mysqlUrl!)]]),
    ] as Array<[string, () => Promise<KyselyDatabase>]>
  ).map(
    ([name, open]) =>
      [
        name,
        async () => {
          const database = await open()
          await migrateToLatest(database.db, { dialect: database.dialect })
          return {
            storage: makeKyselyStorage({ db: database.db, dialect: database.dialect }),
            store: kyselyRelayStore({ db: database.db, dialect: database.dialect }),
            close: () => database.destroy(),
          }
        },
      ] as const,
  ),
]

describe(`${total.toLocaleString("en")} events end to end through the relay`, () => {
  for (const [name, open] of targets) {
    it(`on ${name}: none lost, none repeated, each tenant's in the order it wrote them`, async () => {
      const { storage, store, close } = await open()
      const sink = makeMemorySink()
      const relay = startRelay({ storage, store, sink, batchSize: 200, idleMs: 5, leaseTtlMs: 5_000 })
      const written = new Map<string, Array<string>>(tenants.map((t) => [t, []]))
      try {
        // One writer per tenant, all at once, in transactions of 1 to 3 events, while the relay publishes.
        await Promise.all(
          tenants.map(async (tenantId, w) => {
            const share = Math.floor(total / tenants.length) + (w < total % tenants.length ? 1 : 0)
            for (let i = 0; i < share; ) {
              const size = Math.min(share - i, 1 + ((i + w) % 3))
              const events: Array<ActivityEvent> = Array.from({ length: size }, (_, k) => ({
                id: crypto.randomUUID(),
                tenantId,
                type: "keyword.created",
                at: new Date().toISOString(),
                actorId: "sam",
                actorRole: "admin",
                subjectId: `${tenantId}-${i + k}`,
                conversationId: null,
                contactId: null,
                before: null,
                after: null,
              }))
              await Effect.runPromise(storage.transaction((r) => r.activity.append(events)))
              written.get(tenantId)!.push(...events.map((e) => e.id))
              i += size
            }
          }),
        )
        const deadline = Date.now() + 120_000
        while (sink.deliveries.length < total && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20))
        await new Promise((resolve) => setTimeout(resolve, 50))
      } finally {
        await relay.stop()
        await close()
      }
      const ids = sink.deliveries.map((d) => d.entry.event.id)
      expect(ids).toHaveLength(total)
      expect(new Set(ids).size).toBe(total)
      for (const tenantId of tenants) {
        expect(sink.deliveries.filter((d) => d.entry.event.tenantId === tenantId).map((d) => d.entry.event.id)).toEqual(written.get(tenantId))
      }
    }, 300_000)
  }
})
