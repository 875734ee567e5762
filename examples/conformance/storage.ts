import { Effect, Layer } from "effect"
import { createKyselyDatabase, kyselyStorage, migrateToLatest } from "rmc-details/kysely"
import { describeStorageConformance } from "rmc-details/testing"

// The layer the application gives createRmc: the database is opened and migrated when the suite
// starts, and closed when it ends.
const storage = Layer.unwrap(
  Effect.gen(function* () {
    const { db, dialect } = yield* Effect.acquireRelease(
      Effect.promise(() => createKyselyDatabase({ dialect: "sqlite", path: ":memory:" })),
      (database) => Effect.promise(() => database.destroy()),
    )
    yield* Effect.promise(() => migrateToLatest(db, { dialect }))
    return kyselyStorage({ db, dialect })
  }),
)

describeStorageConformance("my store", storage, {
  skip: { searchAndReports: "reports are served by the data warehouse, not by this store" },
})

describeStorageConformance("my store, model only", storage, { only: ["model"], numRuns: 50 })
