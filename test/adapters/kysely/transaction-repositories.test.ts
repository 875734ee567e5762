import { Effect, Layer } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type KyselyDatabase, makeKyselyStorage, migrateToLatest } from "../../../src/adapters/kysely"
import { createRmc } from "../../../src/facade/create-rmc"
import { Storage, type StorageRepositories } from "../../../src/ports/storage"
import { openPglite, openPostgres, postgresUrl } from "./databases"

const targets: Array<[string, () => Promise<KyselyDatabase>]> = [
  ["pglite", openPglite],
  ...(postgresUrl === undefined
    ? []
    : [["postgres", () => openPostgres(postgresUrl as string, undefined, { max: 2 })] as [string, () => Promise<KyselyDatabase>]]),
]

for (const [name, open] of targets) {
  describe(`repositories of the transactions on one connection, on ${name}`, () => {
    let database: KyselyDatabase
    let storage: Storage["Service"]
    const alice = { tenantId: "acme", agentId: "alice", role: "admin" as const }
    beforeAll(async () => {
      database = await open()
      await migrateToLatest(database.db, { dialect: database.dialect })
      storage = makeKyselyStorage({ db: database.db, dialect: database.dialect })
    })
    afterAll(() => database?.destroy())

    const transaction = <A, E>(work: (r: StorageRepositories) => Effect.Effect<A, E>) => Effect.runPromise(Effect.result(storage.transaction(work)))

    it("are built once per connection and follow each transaction: what one commits stays, what the next rolls back goes", async () => {
      const api = createRmc({ storage: Layer.succeed(Storage, storage) }).as(alice)
      const contact = await api.createContact({ fullName: "Camille Martin" })
      const seen: Array<StorageRepositories> = []
      const rename = (fullName: string, fail: boolean) =>
        transaction((r) =>
          Effect.gen(function* () {
            seen.push(r)
            const stored = (yield* r.contacts.get(alice.tenantId, contact.id))!
            yield* r.contacts.update({ ...stored, fullName, version: stored.version + 1 }, stored)
            if (fail) return yield* Effect.fail("refused" as const)
          }),
        )
      // One after the other, each transaction takes the pool's first idle connection.
      expect((await rename("Camille Dupont", false))._tag).toBe("Success")
      expect((await rename("Never Kept", true))._tag).toBe("Failure")
      expect((await rename("Camille Durand", false))._tag).toBe("Success")
      expect(new Set(seen).size).toBeLessThanOrEqual(name === "pglite" ? 1 : 2)
      expect((await api.getContact({ contactId: contact.id })).fullName).toBe("Camille Durand")
    })

    it.runIf(name === "postgres")("are separate for transactions running at once on separate connections", async () => {
      const api = createRmc({ storage: Layer.succeed(Storage, storage) }).as(alice)
      const [first, second] = [await api.createContact({ fullName: "Ada" }), await api.createContact({ fullName: "Grace" })]
      const seen: Array<StorageRepositories> = []
      let arrived = 0
      let release: () => void = () => {}
      const bothIn = new Promise<void>((resolve) => (release = resolve))
      // Each transaction waits for the other to have begun: both hold a connection at once.
      const rename = (contactId: string, fullName: string) =>
        transaction((r) =>
          Effect.gen(function* () {
            seen.push(r)
            const stored = (yield* r.contacts.get(alice.tenantId, contactId))!
            if (++arrived === 2) release()
            yield* Effect.promise(() => bothIn)
            yield* r.contacts.update({ ...stored, fullName, version: stored.version + 1 }, stored)
          }),
        )
      const results = await Promise.all([rename(first.id, "Ada Lovelace"), rename(second.id, "Grace Hopper")])
      expect(results.map((result) => result._tag)).toEqual(["Success", "Success"])
      expect(seen[0]).not.toBe(seen[1])
      expect((await api.getContact({ contactId: first.id })).fullName).toBe("Ada Lovelace")
      expect((await api.getContact({ contactId: second.id })).fullName).toBe("Grace Hopper")
    })
  })
}
