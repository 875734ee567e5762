import { Kysely, type LogEvent, MysqlDialect, PostgresDialect } from "kysely"
import { createPool } from "mysql2"
import pg from "pg"
import { createKyselyDatabase, guardMysqlPool, guardPostgresPool, type KyselyDatabase, postgresTypes } from "../../../src/adapters/kysely"

export const postgresUrl = process.env.RMC_TEST_POSTGRES_URL
export const mysqlUrl = process.env.RMC_TEST_MYSQL_URL

/** How a test's pool is made: its size (default 10) and whether cached statements stay prepared. */
interface PoolChoices {
  readonly max?: number
  readonly preparedStatements?: boolean
}

const scratchName = () => `rmc_test_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`

/** A fresh PostgreSQL schema of its own for one test file, dropped on destroy. */
export const openPostgres = async (url: string, log?: (event: LogEvent) => void, choices: PoolChoices = {}): Promise<KyselyDatabase> => {
  const schema = scratchName()
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  await admin.query(`create schema ${schema}`)
  await admin.end()
  const pool = new pg.Pool({ connectionString: url, max: choices.max ?? 10, options: `-c search_path=${schema}`, types: postgresTypes(pg.types) })
  const guarded = guardPostgresPool(pool, { preparedStatements: choices.preparedStatements })
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: guarded }), ...(log === undefined ? {} : { log }) })
  return {
    db,
    dialect: "postgres",
    destroy: async () => {
      await db.destroy()
      const cleanup = new pg.Client({ connectionString: url })
      await cleanup.connect()
      await cleanup.query(`drop schema ${schema} cascade`)
      await cleanup.end()
    },
  }
}

/** A fresh MySQL/MariaDB database of its own for one test file, dropped on destroy. */
export const openMysql = async (url: string, choices: PoolChoices = {}): Promise<KyselyDatabase> => {
  const name = scratchName()
  const admin = createPool({ uri: url, connectionLimit: 1 }).promise()
  await admin.query(`create database ${name} character set utf8mb4 collate utf8mb4_bin`)
  await admin.end()
  const target = new URL(url)
  target.pathname = `/${name}`
  const pool = createPool({ uri: target.toString(), connectionLimit: choices.max ?? 10, timezone: "Z" })
  const db = new Kysely<any>({ dialect: new MysqlDialect({ pool: guardMysqlPool(pool, { preparedStatements: choices.preparedStatements }) }) })
  return {
    db,
    dialect: "mysql",
    destroy: async () => {
      await db.destroy()
      const cleanup = createPool({ uri: url, connectionLimit: 1 }).promise()
      await cleanup.query(`drop database ${name}`)
      await cleanup.end()
    },
  }
}

export const openSqlite = () => createKyselyDatabase({ dialect: "sqlite", path: ":memory:" })
export const openPglite = () => createKyselyDatabase({ dialect: "pglite" })
