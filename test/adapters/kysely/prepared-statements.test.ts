import { sql } from "kysely"
import { createPool } from "mysql2"
import pg from "pg"
import { afterEach, describe, expect, it } from "vitest"
import { createRmc } from "../../../src"
import { type KyselyDatabase, kyselyStorage, migrateToLatest } from "../../../src/adapters/kysely"
import { mysqlUrl, openMysql, openPostgres, postgresUrl } from "./databases"

interface Server {
  readonly name: string
  /** A migrated database on a pool of one connection, so that every statement shares it. */
  open(preparedStatements: boolean): Promise<KyselyDatabase>
  /** How many statements the pool's connection has run as prepared statements so far. */
  preparedRuns(database: KyselyDatabase): Promise<number>
  /** Changes the contacts table's shape from another connection, as a live migration would. */
  addColumn(database: KyselyDatabase): Promise<void>
  /** The prepared statements a note takes at least, besides begin and commit. */
  readonly statementsPerNote: number
}

const number = (value: unknown) => Number(value)

const postgres: Server = {
  name: "PostgreSQL",
  // The contact's lock, then the note and its event in one statement.
  statementsPerNote: 2,
  open: async (preparedStatements) => {
    const database = await openPostgres(postgresUrl!, undefined, { max: 1, preparedStatements })
    await migrateToLatest(database.db, { dialect: "postgres" })
    return database
  },
  // pg_prepared_statements lists this session's own; each keeps its count of runs (PostgreSQL 14+).
  preparedRuns: async ({ db }) => {
    const { rows } = await sql<{ runs: unknown }>`select coalesce(sum(generic_plans + custom_plans), 0) as runs from pg_prepared_statements`.execute(db)
    return number(rows[0]!.runs)
  },
  addColumn: async ({ db }) => {
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db)
    const admin = new pg.Client({ connectionString: postgresUrl! })
    await admin.connect()
    await admin.query(`alter table ${rows[0]!.schema}.rmc_contacts add column nickname varchar(40)`)
    await admin.end()
  },
}

const mysql: Server = {
  name: "MySQL or MariaDB",
  // The contact's lock, the note, its event.
  statementsPerNote: 3,
  open: async (preparedStatements) => {
    const database = await openMysql(mysqlUrl!, { max: 1, preparedStatements })
    await migrateToLatest(database.db, { dialect: "mysql" })
    return database
  },
  preparedRuns: async ({ db }) => {
    const { rows } = await sql<{ Value: unknown }>`show session status like 'Com_stmt_execute'`.execute(db)
    return number(rows[0]!.Value)
  },
  addColumn: async ({ db }) => {
    const { rows } = await sql<{ name: string }>`select database() as name`.execute(db)
    const admin = createPool({ uri: mysqlUrl!, connectionLimit: 1 }).promise()
    await admin.query(`alter table ${rows[0]!.name}.rmc_contacts add column nickname varchar(40)`)
    await admin.end()
  },
}

const servers = [...(postgresUrl === undefined ? [] : [postgres]), ...(mysqlUrl === undefined ? [] : [mysql])]

describe.skipIf(servers.length === 0).each(servers)("prepared statements on $name", (server) => {
  let open: KyselyDatabase | undefined
  afterEach(async () => {
    await open?.destroy()
    open = undefined
  })

  const agentOn = (database: KyselyDatabase) => {
    const rmc = createRmc({ storage: kyselyStorage({ db: database.db, dialect: database.dialect }) })
    return rmc.as({ tenantId: "acme", agentId: "alice", role: "admin" })
  }

  it("keeps the store's statements prepared on its connections, and sends none when told not to", async () => {
    for (const preparedStatements of [true, false]) {
      const database = await server.open(preparedStatements)
      open = database
      const alice = agentOn(database)
      const contact = await alice.createContact({ fullName: "Ada Lovelace", type: "Lead" })
      const conversation = await alice.openConversation({ contactId: contact.id, channel: "whatsapp" })
      const before = await server.preparedRuns(database)
      for (let i = 0; i < 10; i++) await alice.addNote({ subject: { kind: "conversation", id: conversation.id }, body: `Note ${i}` })
      const runs = (await server.preparedRuns(database)) - before
      if (preparedStatements) expect(runs).toBeGreaterThanOrEqual(10 * server.statementsPerNote)
      else expect(runs).toBe(0)
      const notes = await alice.listNotes({ subject: { kind: "conversation", id: conversation.id } })
      expect(notes.items.map((n) => n.body).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `Note ${i}`).sort())
      await database.destroy()
      open = undefined
    }
  })

  it("answers reads and writes as before after a table changes shape under its prepared statements", async () => {
    const database = await server.open(true)
    open = database
    const alice = agentOn(database)
    const contact = await alice.createContact({ fullName: "Grace Hopper", type: "Client" })
    const conversation = await alice.openConversation({ contactId: contact.id, channel: "email" })
    // Prepared on the connection: the contact read, and the lock a note takes on its contact.
    expect((await alice.getContact({ contactId: contact.id })).fullName).toBe("Grace Hopper")
    await alice.addNote({ subject: { kind: "conversation", id: conversation.id }, body: "Before the change" })
    await server.addColumn(database)
    expect(await alice.getContact({ contactId: contact.id })).toMatchObject({ id: contact.id, fullName: "Grace Hopper" })
    await alice.addNote({ subject: { kind: "conversation", id: conversation.id }, body: "After the change" })
    await alice.updateContact({ contactId: contact.id, fullName: "Grace B. Hopper" })
    expect((await alice.getContact({ contactId: contact.id })).fullName).toBe("Grace B. Hopper")
    const notes = await alice.listNotes({ subject: { kind: "conversation", id: conversation.id } })
    expect(notes.items.map((n) => n.body).sort()).toEqual(["After the change", "Before the change"])
  })
})
