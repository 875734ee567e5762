// A relay in a process of its own, for the crash test: it publishes the outbox of a SQLite file
// into a file, one line per event, slowly enough to be killed in the middle of a batch.
import { appendFileSync } from "node:fs"
import { Effect } from "effect"
import { createKyselyDatabase, kyselyRelayStore, makeKyselyStorage } from "../../src/adapters/kysely"
import { startRelay } from "../../src/relay"

const [path, output, batchSize] = process.argv.slice(2) as [string, string, string]
const { db, dialect } = await createKyselyDatabase({ dialect: "sqlite", path })
startRelay({
  storage: makeKyselyStorage({ db, dialect }),
  store: kyselyRelayStore({ db, dialect }),
  batchSize: Number(batchSize),
  idleMs: 10,
  leaseTtlMs: 1_000,
  standbyMs: 50,
  sink: {
    name: "file",
    publish: (batch) =>
      Effect.forEach(
        batch,
        (entry) =>
          Effect.andThen(
            Effect.sync(() => appendFileSync(output, `${JSON.stringify({ id: entry.event.id, position: entry.position, pid: process.pid })}\n`)),
            Effect.sleep(3),
          ),
        { discard: true },
      ),
  },
})
process.stdout.write("started\n")
