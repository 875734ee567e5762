import type { Effect } from "effect"
import type { StorageError } from "../domain/shared/errors"

/**
 * A relay's lease as a store hands it out: the fencing token of this acquisition and the
 * checkpoint (the position of the last event published; 0 for none).
 *
 * @example
 * ```ts
 * import type { RelayLease } from "rmc-details/relay"
 * const resumeAfter = (lease: RelayLease) => lease.position
 * ```
 */
export interface RelayLease {
  readonly token: number
  readonly position: number
}

/**
 * A relay's state as stored: who holds the lease, with which token and until when (the store's
 * clock, ms since 1970), the checkpoint and how many events were published under all tokens.
 *
 * @example
 * ```ts
 * import type { RelayState } from "rmc-details/relay"
 * const held = (s: RelayState, now: number) => s.holder !== null && s.expiresAt > now
 * ```
 */
export interface RelayState {
  readonly holder: string | null
  readonly token: number
  readonly expiresAt: number
  readonly position: number
  readonly published: number
}

/**
 * Where relays keep their lease and checkpoint, one record per relay name, by one clock (the
 * database's). Every write but `acquire` is conditional on the fencing token: once another
 * instance acquired the lease, the old holder can neither renew it nor move the checkpoint.
 * Implementations: `kyselyRelayStore` (in `rmc-details/kysely`) and {@link makeMemoryRelayStore}.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { makeMemoryRelayStore } from "rmc-details/relay"
 * const store = makeMemoryRelayStore()
 * const lease = await Effect.runPromise(store.acquire("events", "instance-1", 10_000))
 * ```
 */
export interface RelayStore {
  /**
   * Takes the lease if nobody holds it or it expired: the token goes up by one and the lease runs
   * for `ttlMs`. `null` when another holder's lease is still running.
   */
  acquire(relay: string, holder: string, ttlMs: number): Effect.Effect<RelayLease | null, StorageError>
  /** Extends the lease by `ttlMs` from now if `token` is still the current one; `false` otherwise. */
  renew(relay: string, holder: string, token: number, ttlMs: number): Effect.Effect<boolean, StorageError>
  /** Stores the checkpoint and adds `published` to the count, if `token` is still the current one. */
  checkpoint(relay: string, token: number, position: number, published: number): Effect.Effect<boolean, StorageError>
  /** Gives the lease up (if `token` is still the current one), so that another instance takes over at once. */
  release(relay: string, token: number): Effect.Effect<void, StorageError>
  /** The relay's stored state, or `null` before its first acquisition. */
  read(relay: string): Effect.Effect<RelayState | null, StorageError>
}
