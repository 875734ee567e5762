import { Effect } from "effect"
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from "kysely"
import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type KyselyDatabase, makeKyselyStorage, migrateToLatest, tableNames } from "../../../src/adapters/kysely"
import type { Contact } from "../../../src/domain/contact/contact"
import { NotFoundError, StorageError } from "../../../src/domain/shared/errors"
import { mysqlUrl, openMysql, openPostgres, openSqlite, postgresUrl } from "./databases"

/** Fails statements with a driver error of the given code while `failures` lasts. */
class Conflicts implements KyselyPlugin {
  failures = 0
  constructor(readonly error: () => Error) {}
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (this.failures > 0) {
      this.failures--
      throw this.error()
    }
    return args.node
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result
  }
}

const driverError = (fields: Record<string, unknown>) => Object.assign(new Error("injected driver error"), fields)

const contact = (tenantId: string, fullName: string): Contact => ({
  id: crypto.randomUUID(),
  tenantId,
  fullName,
  type: "customer",
  primaryPhone: null,
  phones: [],
  email: null,
  channelIdentities: [],
  createdAt: "2026-03-01T09:00:00.000Z",
  lastActivityAt: "2026-03-01T09:00:00.000Z",
  erasedAt: null,
  mergedInto: null,
  mergedAt: null,
  version: 1,
})

describe("units of work on SQLite", () => {
  let database: KyselyDatabase
  beforeAll(async () => {
    database = await openSqlite()
    await migrateToLatest(database.db, { dialect: "sqlite" })
  })
  afterAll(() => database?.destroy())

  const codes: Array<[string, Record<string, unknown>]> = [
    ["PostgreSQL deadlock", { code: "40P01" }],
    ["PostgreSQL serialization failure", { code: "40001" }],
    ["PostgreSQL lock timeout", { code: "55P03" }],
    ["MySQL deadlock", { errno: 1213, code: "ER_LOCK_DEADLOCK" }],
    ["MySQL lock wait timeout", { errno: 1205, code: "ER_LOCK_WAIT_TIMEOUT" }],
    ["SQLite busy", { code: "ERR_SQLITE_ERROR", errcode: 5 }],
  ]
  for (const [name, fields] of codes) {
    it(`re-runs the whole unit of work after a ${name}, and commits it once`, async () => {
      const conflicts = new Conflicts(() => driverError(fields))
      conflicts.failures = 1
      const storage = makeKyselyStorage({ db: database.db.withPlugin(conflicts), dialect: "sqlite" })
      const tenant = `t-${crypto.randomUUID()}`
      const record = contact(tenant, "Camille")
      let runs = 0
      await Effect.runPromise(
        storage.transaction((r) =>
          Effect.gen(function* () {
            runs++
            yield* r.contacts.insert(record)
          }),
        ),
      )
      expect(runs).toBe(2)
      expect(await Effect.runPromise(storage.query((r) => r.contacts.get(tenant, record.id)))).toEqual(record)
    })
  }

  it("gives up after the configured attempts with a conflict storage error, having committed nothing", async () => {
    const conflicts = new Conflicts(() => driverError({ code: "40P01" }))
    conflicts.failures = 1000
    const storage = makeKyselyStorage({ db: database.db.withPlugin(conflicts), dialect: "sqlite", retry: { attempts: 4, baseDelayMs: 1 } })
    const tenant = `t-${crypto.randomUUID()}`
    const record = contact(tenant, "Camille")
    let runs = 0
    const error = await Effect.runPromise(
      Effect.flip(
        storage.transaction((r) =>
          Effect.gen(function* () {
            runs++
            yield* r.contacts.insert(contact(tenant, "written before the conflict"))
          }).pipe(Effect.andThen(r.contacts.insert(record))),
        ),
      ),
    )
    expect(runs).toBe(4)
    expect(error).toBeInstanceOf(StorageError)
    expect((error as StorageError).reason).toBe("conflict")
    expect((error as StorageError).message).toMatch(/4 attempts/)
    const plain = makeKyselyStorage({ db: database.db, dialect: "sqlite" })
    expect(await Effect.runPromise(plain.query((r) => r.contacts.get(tenant, record.id)))).toBeNull()
  })

  it("never re-runs a unit of work for its own failures or for other database errors", async () => {
    const storage = makeKyselyStorage({ db: database.db, dialect: "sqlite" })
    let runs = 0
    const own = await Effect.runPromise(
      Effect.flip(
        storage.transaction(() =>
          Effect.sync(() => runs++).pipe(Effect.andThen(Effect.fail(new NotFoundError({ message: "no such contact", entity: "contact", id: "c1" })))),
        ),
      ),
    )
    expect(own).toBeInstanceOf(NotFoundError)
    expect(runs).toBe(1)
    const broken = new Conflicts(() => driverError({ code: "ECONNRESET" }))
    broken.failures = 1
    const failing = makeKyselyStorage({ db: database.db.withPlugin(broken), dialect: "sqlite" })
    runs = 0
    const error = await Effect.runPromise(
      Effect.flip(failing.transaction((r) => Effect.sync(() => runs++).pipe(Effect.andThen(r.contacts.insert(contact("acme", "Camille")))))),
    )
    expect((error as StorageError).reason).toBe("unavailable")
    expect(runs).toBe(1)
  })

  it("answers a unit of work that outlives its deadline with a timeout at the deadline, and rolls it back", async () => {
    const storage = makeKyselyStorage({ db: database.db, dialect: "sqlite", transactionTimeoutMs: 200 })
    const tenant = `t-${crypto.randomUUID()}`
    const record = contact(tenant, "Camille")
    const started = Date.now()
    const error = await Effect.runPromise(Effect.flip(storage.transaction((r) => r.contacts.insert(record).pipe(Effect.andThen(Effect.sleep("3 seconds"))))))
    const elapsed = Date.now() - started
    expect(error).toBeInstanceOf(StorageError)
    expect((error as StorageError).reason).toBe("timeout")
    expect(elapsed).toBeGreaterThanOrEqual(190)
    expect(elapsed).toBeLessThan(400)
    // The rollback runs behind the answer: the next unit of work sees nothing of it.
    expect(await Effect.runPromise(storage.transaction((r) => r.contacts.get(tenant, record.id)))).toBeNull()
  })

  it("answers a read that outlives its deadline with a timeout", async () => {
    const storage = makeKyselyStorage({ db: database.db, dialect: "sqlite", transactionTimeoutMs: 100 })
    const started = Date.now()
    const error = await Effect.runPromise(Effect.flip(storage.query((r) => r.contacts.get("acme", "c1").pipe(Effect.andThen(Effect.sleep("3 seconds"))))))
    expect((error as StorageError).reason).toBe("timeout")
    expect(Date.now() - started).toBeLessThan(300)
  })
})

const servers: Array<[string, () => Promise<KyselyDatabase>]> = [
  ...(postgresUrl === undefined ? [] : [["postgres", () => openPostgres(postgresUrl as string)] as [string, () => Promise<KyselyDatabase>]]),
  ...(mysqlUrl === undefined ? [] : [["mysql", () => openMysql(mysqlUrl as string)] as [string, () => Promise<KyselyDatabase>]]),
]

for (const [name, open] of servers) {
  describe(`units of work on ${name}`, () => {
    let database: KyselyDatabase
    beforeAll(async () => {
      database = await open()
      await migrateToLatest(database.db, { dialect: database.dialect })
    })
    afterAll(() => database?.destroy())

    it("answers a unit of work blocked on a lock at its deadline, destroys its connection and never commits it", async () => {
      const storage = makeKyselyStorage({ db: database.db, dialect: database.dialect, transactionTimeoutMs: 400 })
      const tenant = `t-${crypto.randomUUID()}`
      const held = contact(tenant, "Held")
      const record = contact(tenant, "Written while blocked")
      await Effect.runPromise(storage.transaction((r) => r.contacts.insert(held)))
      const t = tableNames()
      // Another session holds the row until told to let go.
      const blocker = await database.db.startTransaction().execute()
      await blocker.selectFrom(t.contacts).selectAll().where("tenant_id", "=", tenant).where("id", "=", held.id).forUpdate().execute()
      const started = Date.now()
      const error = await Effect.runPromise(
        Effect.flip(
          storage.transaction((r) => r.contacts.insert(record).pipe(Effect.andThen(r.contacts.update({ ...held, fullName: "Changed", version: 2 }, held)))),
        ),
      )
      const elapsed = Date.now() - started
      expect((error as StorageError).reason).toBe("timeout")
      expect(elapsed).toBeLessThan(400 + 250)
      await blocker.commit().execute()
      // Let the destroyed session's statement finish on the server before looking.
      await new Promise((resolve) => setTimeout(resolve, 200))
      expect(await Effect.runPromise(storage.query((r) => r.contacts.get(tenant, record.id)))).toBeNull()
      expect((await Effect.runPromise(storage.query((r) => r.contacts.get(tenant, held.id))))?.fullName).toBe("Held")
      // The pool serves the next unit of work.
      await Effect.runPromise(storage.transaction((r) => r.contacts.insert(record)))
      expect((await Effect.runPromise(storage.query((r) => r.contacts.get(tenant, record.id))))?.fullName).toBe("Written while blocked")
      const { rows } = await sql<{ one: number }>`select 1 as one`.execute(database.db)
      expect(Number(rows[0]!.one)).toBe(1)
    })
  })
}
