// A relay in a process of its own, for the crash tests: it publishes the outbox of a SQLite file
// one event at a time, slowly enough to be killed in the middle of a batch, and appends a line per
// event to a file once the event is published. With a NATS server and stream as arguments, each
// event is published to JetStream (then logged); without them, logging is the publication.
import { appendFileSync } from "node:fs"
import { Effect } from "effect"
import { createKyselyDatabase, kyselyRelayStore, makeKyselyStorage } from "../../src/adapters/kysely"
import { createNatsEventSink } from "../../src/adapters/nats"
import { toEventEnvelope } from "../../src/domain/events/to-event-envelope"
import { startRelay } from "../../src/relay"

const [path, output, batchSize, natsServers, stream, prefix] = process.argv.slice(2) as [string, string, string, string?, string?, string?]
const { db, dialect } = await createKyselyDatabase({ dialect: "sqlite", path })
const nats =
  natsServers === undefined
    ? undefined
    : await createNatsEventSink({ servers: natsServers, subjectPrefix: prefix!, stream: { name: stream!, duplicateWindowMs: 600_000 } })
startRelay({
  storage: makeKyselyStorage({ db, dialect }),
  store: kyselyRelayStore({ db, dialect }),
  batchSize: Number(batchSize),
  idleMs: 10,
  leaseTtlMs: 1_000,
  standbyMs: 50,
  sink: {
    name: nats === undefined ? "file" : "nats",
    publish: (batch) =>
      Effect.forEach(
        batch,
        (entry) =>
          Effect.andThen(
            Effect.promise(async () => {
              await nats?.publish([toEventEnvelope(entry.event)])
              appendFileSync(output, `${JSON.stringify({ id: entry.event.id, position: entry.position, pid: process.pid })}\n`)
            }),
            Effect.sleep(3),
          ),
        { discard: true },
      ),
  },
})
process.stdout.write("started\n")
