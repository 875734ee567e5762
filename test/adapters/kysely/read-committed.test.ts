import { Effect, Layer } from "effect"
import { sql } from "kysely"
import { createPool } from "mysql2"
import { describe, expect, it } from "vitest"
import { createRmc, Storage } from "../../../src"
import { createKyselyDatabase, type KyselyDatabase, makeKyselyStorage, migrateToLatest } from "../../../src/adapters/kysely"
import { mysqlUrl, openMysql, openPostgres, postgresUrl } from "./databases"

/** A fresh MySQL/MariaDB database opened the way users open one: `createKyselyDatabase`. */
const openCreated = async (url: string): Promise<KyselyDatabase> => {
  const name = `rmc_test_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`
  const admin = createPool({ uri: url, connectionLimit: 1 }).promise()
  await admin.query(`create database ${name} character set utf8mb4 collate utf8mb4_bin`)
  await admin.end()
  const target = new URL(url)
  target.pathname = `/${name}`
  const database = await createKyselyDatabase({ dialect: "mysql", url: target.toString(), maxConnections: 2 })
  return {
    ...database,
    destroy: async () => {
      await database.destroy()
      const cleanup = createPool({ uri: url, connectionLimit: 1 }).promise()
      await cleanup.query(`drop database ${name}`)
      await cleanup.end()
    },
  }
}

// MySQL 8 and MariaDB 11.1 name the variable transaction_isolation; MariaDB before 11.1 only tx_isolation.
const sessionLevel = async ({ db }: KyselyDatabase) => {
  const read = async (variable: "transaction_isolation" | "tx_isolation") =>
    (await sql<{ level: string }>`select ${sql.raw(`@@session.${variable}`)} as level`.execute(db)).rows[0]!.level
  return read("transaction_isolation").catch(() => read("tx_isolation"))
}

/**
 * A unit of work reads a contact, another connection commits a change to it, and the unit of work
 * reads it again: at READ COMMITTED it sees the change; at REPEATABLE READ (MySQL's default) it
 * would still see the first name.
 */
const readsAnotherCommit = async (database: KyselyDatabase, dialect: "mysql" | "postgres") => {
  await migrateToLatest(database.db, { dialect })
  const storage = makeKyselyStorage({ db: database.db, dialect })
  const admin = createRmc({ storage: Layer.succeed(Storage, storage) }).as({ tenantId: "acme", agentId: "alice", role: "admin" })
  const { id } = await admin.createContact({ fullName: "Ada", type: "Lead" })
  const names = await Effect.runPromise(
    storage.transaction((r) =>
      Effect.gen(function* () {
        const before = yield* r.contacts.get("acme", id)
        // Another connection commits a change while this transaction is open.
        yield* Effect.promise(() => database.db.updateTable("rmc_contacts").set({ full_name: "Ada Lovelace" }).where("id", "=", id).execute())
        const after = yield* r.contacts.get("acme", id)
        return [before?.fullName, after?.fullName]
      }),
    ),
  )
  expect(names).toEqual(["Ada", "Ada Lovelace"])
}

describe.skipIf(mysqlUrl === undefined)("transactions on MySQL or MariaDB run at READ COMMITTED", () => {
  it.each([
    { pool: "on a database from createKyselyDatabase, whose connections start at READ COMMITTED", open: openCreated, level: "READ-COMMITTED" },
    { pool: "on a pool guarded without readCommittedSessions, each transaction setting its level", open: openMysql, level: "REPEATABLE-READ" },
  ])("$pool", async ({ open, level }) => {
    const database = await open(mysqlUrl!)
    try {
      expect(await sessionLevel(database)).toBe(level)
      await readsAnotherCommit(database, "mysql")
    } finally {
      await database.destroy()
    }
  })
})

// PostgreSQL's default is READ COMMITTED already; the same check guards against a change of it.
describe.skipIf(postgresUrl === undefined)("transactions on PostgreSQL run at READ COMMITTED", () => {
  it("reads a change another connection commits while the transaction is open", async () => {
    const database = await openPostgres(postgresUrl!)
    try {
      await readsAnotherCommit(database, "postgres")
    } finally {
      await database.destroy()
    }
  })
})
