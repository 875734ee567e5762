import { Effect, Layer } from "effect"
import { type KyselyDatabase, kyselyStorage, migrateToLatest } from "../../../src/adapters/kysely"
import type { Storage } from "../../../src/ports/storage"

/**
 * A Kysely store as an application would build it: the database opened and migrated when the
 * layer is built, and destroyed (pool, file, scratch schema) when its scope closes.
 */
export const scopedKyselyStorage = (open: () => Promise<KyselyDatabase>): Layer.Layer<Storage, unknown> =>
  Layer.unwrap(
    Effect.gen(function* () {
      const database = yield* Effect.acquireRelease(Effect.tryPromise(open), (opened) => Effect.promise(() => opened.destroy()))
      yield* Effect.tryPromise(() => migrateToLatest(database.db, { dialect: database.dialect }))
      return kyselyStorage({ db: database.db, dialect: database.dialect })
    }),
  )
