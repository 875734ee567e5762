import { type DatabaseConnection, Kysely, type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs, sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { nodeSqliteDialect } from "../../../src/adapters/kysely"
import { StatementCache } from "../../../src/adapters/kysely/statement-cache"

/** Counts the statements that reach the executor. */
class Seen implements KyselyPlugin {
  count = 0
  transformQuery(args: PluginTransformQueryArgs) {
    this.count++
    return args.node
  }
  async transformResult(args: PluginTransformResultArgs) {
    return args.result
  }
}

describe("statement cache", () => {
  const db = new Kysely<any>({ dialect: nodeSqliteDialect(":memory:") })
  beforeAll(async () => {
    await db.schema
      .createTable("pet")
      .addColumn("id", "text", (col) => col.primaryKey())
      .addColumn("name", "text")
      .addColumn("age", "integer")
      .execute()
  })
  afterAll(() => db.destroy())

  it("builds a shape once and binds each run's own values", async () => {
    const statements = new StatementCache(db)
    let builds = 0
    const insert = (row: Record<string, unknown>) =>
      statements.run(db, "pet.insert", row, (b, v) => {
        builds++
        return b.insertInto("pet").values(v)
      })
    await insert({ id: "p1", name: "Rex", age: 3 })
    await insert({ id: "p2", name: "Tom", age: null })
    // A value that is undefined is written as null, as Kysely would write a missing one.
    await insert({ id: "p3", name: "Kit", age: undefined })
    const byId = (id: string) =>
      statements.run(db, "pet.get", { id }, (b, v) => {
        builds++
        return b.selectFrom("pet").selectAll().where("id", "=", v.id)
      })
    expect((await byId("p2")).rows).toEqual([{ id: "p2", name: "Tom", age: null }])
    expect((await byId("p1")).rows).toEqual([{ id: "p1", name: "Rex", age: 3 }])
    expect((await byId("p3")).rows).toEqual([{ id: "p3", name: "Kit", age: null }])
    expect(builds).toBe(2)
  })

  it("keeps the constants a build puts in, and accepts sql templates", async () => {
    const statements = new StatementCache(db)
    const older = (age: number) =>
      statements.run<{ name: string }>(db, "pet.older", { age }, (_, v) => sql`select name from pet where age > ${v.age} and name <> ${"Nobody"} order by name`)
    expect((await older(1)).rows).toEqual([{ name: "Rex" }])
    expect((await older(5)).rows).toEqual([])
  })

  it("lets plugins see every run", async () => {
    const seen = new Seen()
    const withPlugin = db.withPlugin(seen)
    const statements = new StatementCache(withPlugin)
    for (let i = 0; i < 3; i++) await statements.run(withPlugin, "pet.count", {}, (b) => b.selectFrom("pet").select((e) => e.fn.countAll().as("n")))
    expect(seen.count).toBe(3)
  })

  it("sends a run straight to the connection it is given, inside the transaction that holds it, unless plugins must see it", async () => {
    const statements = new StatementCache(db)
    const insert = (trx: Parameters<typeof statements.run>[0], connection: DatabaseConnection, id: string) =>
      statements.run(trx, "pet.insert.direct", { id, name: "Direct", age: 1 }, (b, v) => b.insertInto("pet").values(v), connection)
    let sent = 0
    const counting = (connection: DatabaseConnection): DatabaseConnection => ({
      executeQuery: (query) => {
        sent++
        return connection.executeQuery(query)
      },
      streamQuery: (query, chunkSize) => connection.streamQuery(query, chunkSize),
    })
    const rolledBack = new Error("roll back")
    await expect(
      db.transaction().execute(async (trx) => {
        const connection = counting(await trx.getExecutor().provideConnection(async (held) => held))
        await insert(trx, connection, "d1")
        // The statement ran in the transaction: it sees its own row before the rollback.
        expect((await sql<{ n: number }>`select count(*) as n from pet where id = 'd1'`.execute(trx)).rows[0]?.n).toBe(1)
        throw rolledBack
      }),
    ).rejects.toBe(rolledBack)
    expect(sent).toBe(1)
    expect((await sql<{ n: number }>`select count(*) as n from pet where id = 'd1'`.execute(db)).rows[0]?.n).toBe(0)

    const seen = new Seen()
    const withPlugin = db.withPlugin(seen)
    const seenStatements = new StatementCache(withPlugin)
    await withPlugin.transaction().execute(async (trx) => {
      const connection = counting(await trx.getExecutor().provideConnection(async (held) => held))
      await seenStatements.run(trx, "pet.insert.seen", { id: "d2", name: "Seen", age: 2 }, (b, v) => b.insertInto("pet").values(v), connection)
    })
    // With a plugin, the run goes through the executor, where the plugin sees it, and not to the connection.
    expect(seen.count).toBe(1)
    expect(sent).toBe(1)
    expect((await sql<{ n: number }>`select count(*) as n from pet where id = 'd2'`.execute(db)).rows[0]?.n).toBe(1)
  })

  it("refuses a statement whose text holds a placeholder that is not one of its values", async () => {
    const statements = new StatementCache(db)
    expect(() => statements.run(db, "pet.literal", { id: "p1" }, (_, v) => sql`select '?' as mark from pet where id = ${v.id}`)).toThrow(
      /placeholders that are not parameters/,
    )
  })

  it("refuses a value name that the statement does not bind, when it first builds the key", async () => {
    const statements = new StatementCache(db)
    // A build that picks its shape from a value would replay that shape for every later run of the key.
    expect(() => statements.run(db, "pet.maybeOlder", { id: "p1", age: undefined }, (b, v) => b.selectFrom("pet").selectAll().where("id", "=", v.id))).toThrow(
      /pet.maybeOlder does not bind the value age/,
    )
    expect(() => statements.run(db, "pet.none", { a: 1, b: 2 }, (b) => b.selectFrom("pet").selectAll())).toThrow(/does not bind the values a, b/)
    // Nothing was cached for the refused keys: a correct build of the same key still works.
    const { rows } = await statements.run(db, "pet.maybeOlder", { id: "p1" }, (b, v) => b.selectFrom("pet").select("name").where("id", "=", v.id))
    expect(rows).toEqual([{ name: "Rex" }])
  })

  it("refuses a value that a build puts in the SQL text instead of binding it", () => {
    const statements = new StatementCache(db)
    expect(() => statements.run(db, "pet.lit", { name: "Rex" }, (_, v) => sql`select id from pet where name = ${sql.lit(v.name)}`)).toThrow(
      /puts a value in its SQL text/,
    )
  })
})
