import type { Kysely } from "kysely"

/**
 * The databases whose every connection runs READ COMMITTED by default, as the store's transactions
 * do: their stores begin transactions without setting the level (on MySQL/MariaDB, setting it is a
 * statement and a round trip of its own). Filled by `createKyselyDatabase` for the pools it makes.
 */
export const readCommittedDatabases = new WeakSet<Kysely<any>>()
