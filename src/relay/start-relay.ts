import { Effect, Fiber } from "effect"
import { Storage } from "../ports/storage"
import { type RelayOptions, runRelay } from "./run-relay"

/**
 * A relay started with {@link startRelay}: `stop()` interrupts it (a publication under way is
 * abandoned, and published again by the next leader), gives the lease up, and resolves once done.
 *
 * @example
 * ```ts
 * import type { RelayHandle } from "rmc-details/relay"
 * const shutdown = (relay: RelayHandle) => relay.stop()
 * ```
 */
export interface RelayHandle {
  /** Interrupts the relay and gives its lease up; resolves once it has stopped. */
  stop(): Promise<void>
}

/**
 * Starts a relay (see {@link runRelay}) over a store's outbox, for applications that do not use
 * Effect. It runs in the background until `stop()`.
 *
 * @example
 * ```ts
 * import { createKyselyDatabase, kyselyRelayStore, makeKyselyStorage, migrateToLatest } from "rmc-details/kysely"
 * import { makeMemorySink, startRelay } from "rmc-details/relay"
 * const { db, dialect } = await createKyselyDatabase({ dialect: "sqlite", path: "details.sqlite" })
 * await migrateToLatest(db, { dialect })
 * const relay = startRelay({ storage: makeKyselyStorage({ db, dialect }), store: kyselyRelayStore({ db, dialect }), sink: makeMemorySink() })
 * process.on("SIGTERM", () => void relay.stop())
 * ```
 */
export const startRelay = <E>(options: RelayOptions<E> & { readonly storage: Storage["Service"] }): RelayHandle => {
  const fiber = Effect.runFork(runRelay(options).pipe(Effect.provideService(Storage, options.storage)))
  return { stop: () => Effect.runPromise(Fiber.interrupt(fiber)).then(() => undefined) }
}
