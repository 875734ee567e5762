import { Effect } from "effect"
import { sql } from "kysely"
import { createPool } from "mysql2"
import { describe, expect, it } from "vitest"
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

const contact = (id: string, fullName: string) => ({
  tenant_id: "acme",
  id,
  full_name: fullName,
  type: "Lead",
  primary_phone: null,
  phones: "[]",
  email: null,
  channel_identities: "[]",
  created_at: "2026-01-01T00:00:00.000Z",
  last_activity_at: "2026-01-01T00:00:00.000Z",
  version: 1,
})

const sessionLevel = async ({ db }: KyselyDatabase) => {
  const { rows } = await sql<{ level: string }>`select @@tx_isolation as level`.execute(db)
  return rows[0]!.level
}

/**
 * A unit of work reads a contact, another connection commits a change to it, and the unit of work
 * reads it again: at READ COMMITTED it sees the change; at REPEATABLE READ (MySQL's default) it
 * would still see the first name.
 */
const readsAnotherCommit = async (database: KyselyDatabase, dialect: "mysql" | "postgres") => {
  await migrateToLatest(database.db, { dialect })
  const id = crypto.randomUUID()
  await database.db.insertInto("rmc_contacts").values(contact(id, "Ada")).execute()
  const storage = makeKyselyStorage({ db: database.db, dialect })
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
  it("on a database from createKyselyDatabase, whose connections start at READ COMMITTED", async () => {
    const database = await openCreated(mysqlUrl!)
    try {
      expect(await sessionLevel(database)).toBe("READ-COMMITTED")
      await readsAnotherCommit(database, "mysql")
    } finally {
      await database.destroy()
    }
  })

  it("on a pool guarded without readCommittedSessions, each transaction setting its level", async () => {
    const database = await openMysql(mysqlUrl!)
    try {
      expect(await sessionLevel(database)).toBe("REPEATABLE-READ")
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
