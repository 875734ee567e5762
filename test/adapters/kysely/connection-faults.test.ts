import { Effect } from "effect"
import { Kysely, MysqlDialect, PostgresDialect, sql } from "kysely"
import { createPool } from "mysql2"
import pg from "pg"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  createKyselyDatabase,
  guardMysqlPool,
  guardPostgresPool,
  type KyselyDatabase,
  makeKyselyStorage,
  migrateToLatest,
  postgresTypes,
} from "../../../src/adapters/kysely"
import { StorageError } from "../../../src/domain/shared/errors"

// No import of ./databases here: it sets pg's process-wide int8 parser, which this file checks is left alone.
const postgresUrl = process.env.RMC_TEST_POSTGRES_URL
const mysqlUrl = process.env.RMC_TEST_MYSQL_URL

/** Ends a client's socket from this side, as a network cut or a dying backend would. */
const cut = (client: pg.PoolClient | pg.Client) => (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy()

describe.skipIf(postgresUrl === undefined)("PostgreSQL connections", () => {
  it("read 64-bit integers as numbers in the store's pool only, leaving the application's pg as it was", async () => {
    const database = await createKyselyDatabase({ dialect: "postgres", url: postgresUrl as string })
    try {
      const { rows } = await sql<{ n: unknown; c: unknown }>`select 9007199254740993::int8 as n, count(*) as c from (values (1), (2)) as v(x)`.execute(
        database.db,
      )
      expect(typeof rows[0]!.n).toBe("number")
      expect(rows[0]!.c).toBe(2)
      const plain = new pg.Client({ connectionString: postgresUrl })
      await plain.connect()
      try {
        const { rows: own } = await plain.query("select 9007199254740993::int8 as n")
        expect(own[0].n).toBe("9007199254740993")
      } finally {
        await plain.end()
      }
    } finally {
      await database.destroy()
    }
  })

  describe("through a guarded pool", () => {
    const schema = `rmc_faults_${crypto.randomUUID().replaceAll("-", "").slice(0, 10)}`
    let pool: pg.Pool
    let db: Kysely<any>
    const clients: Array<pg.PoolClient> = []
    const errors: Array<unknown> = []
    beforeAll(async () => {
      const admin = new pg.Client({ connectionString: postgresUrl })
      await admin.connect()
      await admin.query(`create schema ${schema}`)
      await admin.end()
      pool = new pg.Pool({ connectionString: postgresUrl, max: 2, options: `-c search_path=${schema}`, types: postgresTypes(pg.types) })
      pool.on("connect", (client) => clients.push(client))
      db = new Kysely<any>({ dialect: new PostgresDialect({ pool: guardPostgresPool(pool, { onError: (error) => errors.push(error) }) }) })
      await migrateToLatest(db, { dialect: "postgres" })
    })
    afterAll(async () => {
      await db?.destroy()
      const admin = new pg.Client({ connectionString: postgresUrl })
      await admin.connect()
      await admin.query(`drop schema if exists ${schema} cascade`)
      await admin.end()
    })

    it("fails a unit of work whose connection dies between statements with a storage error, and the next one reconnects", async () => {
      const storage = makeKyselyStorage({ db, dialect: "postgres" })
      const outcome = await Effect.runPromise(
        Effect.flip(
          storage.transaction((r) =>
            Effect.gen(function* () {
              yield* r.settings.get("acme")
              // The connection this unit of work holds is the one checked out now.
              const held = clients.filter((client) => !(pool as unknown as { _idle: Array<{ client: unknown }> })._idle.some((idle) => idle.client === client))
              for (const client of held) cut(client)
              // The client notices between statements, and emits `error` with no statement in flight.
              yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 50)))
              return yield* r.settings.get("acme")
            }),
          ),
        ),
      )
      expect(outcome).toBeInstanceOf(StorageError)
      expect((outcome as StorageError).reason).toBe("unavailable")
      expect(errors.length).toBeGreaterThan(0)
      // The dead client left the pool; the next command gets a new connection.
      expect(await Effect.runPromise(storage.query((r) => r.settings.get("acme")))).toBeNull()
      expect(await Effect.runPromise(storage.transaction((r) => r.settings.get("acme")))).toBeNull()
    })

    it("never hands out an idle client whose connection died", async () => {
      const storage = makeKyselyStorage({ db, dialect: "postgres" })
      await Effect.runPromise(storage.query((r) => r.settings.get("acme")))
      for (const client of clients) cut(client)
      expect(await Effect.runPromise(storage.transaction((r) => r.settings.get("acme")))).toBeNull()
    })

    it("gives a healthy connection back unused to a unit of work that ran out of time while queueing for it", async () => {
      const own: Array<pg.PoolClient> = []
      const single = new pg.Pool({ connectionString: postgresUrl, max: 1, options: `-c search_path=${schema}`, types: postgresTypes(pg.types) })
      single.on("connect", (client) => own.push(client))
      const singleDb = new Kysely<any>({ dialect: new PostgresDialect({ pool: guardPostgresPool(single) }) })
      try {
        const patient = makeKyselyStorage({ db: singleDb, dialect: "postgres", transactionTimeoutMs: 5_000 })
        const hurried = makeKyselyStorage({ db: singleDb, dialect: "postgres", transactionTimeoutMs: 200 })
        const holding = Effect.runPromise(patient.transaction((r) => r.settings.get("acme").pipe(Effect.andThen(Effect.sleep("600 millis")))))
        await new Promise((resolve) => setTimeout(resolve, 50))
        const queued = await Effect.runPromise(Effect.flip(hurried.transaction((r) => r.settings.get("acme"))))
        expect((queued as StorageError).reason).toBe("timeout")
        await holding
        // The connection went to the queued unit of work after its deadline, which gave it back as it was.
        await new Promise((resolve) => setTimeout(resolve, 50))
        expect(await Effect.runPromise(patient.transaction((r) => r.settings.get("acme")))).toBeNull()
        expect(own).toHaveLength(1)
      } finally {
        await singleDb.destroy()
      }
    })

    it("ends a statement at the server's statement timeout with a timeout storage error, and keeps the connection", async () => {
      const database = await createKyselyDatabase({ dialect: "postgres", url: postgresUrl as string, statementTimeoutMs: 300, maxConnections: 1 })
      try {
        const started = Date.now()
        const error = await sql`select pg_sleep(3)`.execute(database.db).catch((e: unknown) => e)
        expect(Date.now() - started).toBeLessThan(1500)
        expect((error as { code?: string }).code).toBe("57014")
        const { rows } = await sql<{ one: number }>`select 1 as one`.execute(database.db)
        expect(rows).toEqual([{ one: 1 }])
      } finally {
        await database.destroy()
      }
    })
  })
})

describe.skipIf(mysqlUrl === undefined)("MySQL connections", () => {
  let database: KyselyDatabase
  beforeAll(async () => {
    database = await createKyselyDatabase({ dialect: "mysql", url: mysqlUrl as string, statementTimeoutMs: 400, maxConnections: 2 })
  })
  afterAll(() => database?.destroy())

  it("ends a statement at its deadline with a timeout, destroys that connection and serves the next command", async () => {
    const started = Date.now()
    const error = await sql`select sleep(3)`.execute(database.db).catch((e: unknown) => e)
    expect(Date.now() - started).toBeLessThan(1500)
    expect((error as { code?: string }).code).toBe("PROTOCOL_SEQUENCE_TIMEOUT")
    const { rows } = await sql<{ one: number }>`select 1 as one`.execute(database.db)
    expect(rows).toEqual([{ one: 1 }])
  })

  it("fails a unit of work whose connection dies between statements with a storage error, and the next one reconnects", async () => {
    const name = `rmc_faults_${crypto.randomUUID().replaceAll("-", "").slice(0, 10)}`
    await sql`create database ${sql.id(name)} character set utf8mb4 collate utf8mb4_bin`.execute(database.db)
    const target = new URL(mysqlUrl as string)
    target.pathname = `/${name}`
    const connections: Array<{ stream: { destroy(): void } }> = []
    const errors: Array<unknown> = []
    const pool = createPool({ uri: target.toString(), connectionLimit: 1, timezone: "Z" })
    pool.on("connection", (connection) => connections.push(connection as unknown as { stream: { destroy(): void } }))
    const db = new Kysely<any>({ dialect: new MysqlDialect({ pool: guardMysqlPool(pool, { onError: (error) => errors.push(error) }) }) })
    try {
      await migrateToLatest(db, { dialect: "mysql" })
      const storage = makeKyselyStorage({ db, dialect: "mysql" })
      const outcome = await Effect.runPromise(
        Effect.flip(
          storage.transaction((r) =>
            Effect.gen(function* () {
              yield* r.settings.get("acme")
              for (const connection of connections) connection.stream.destroy()
              yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 50)))
              return yield* r.settings.get("acme")
            }),
          ),
        ),
      )
      expect(outcome).toBeInstanceOf(StorageError)
      expect((outcome as StorageError).reason).toBe("unavailable")
      expect(await Effect.runPromise(storage.transaction((r) => r.settings.get("acme")))).toBeNull()
    } finally {
      await db.destroy()
      await sql`drop database ${sql.id(name)}`.execute(database.db)
    }
  })
})
