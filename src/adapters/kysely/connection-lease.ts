import { AsyncLocalStorage } from "node:async_hooks"

/**
 * The connections a unit of work holds, so that its deadline can discard them. A guarded pool
 * (see {@link guardPostgresPool}, {@link guardMysqlPool}) registers every connection it hands out
 * while a lease is current; when the deadline passes, the store expires the lease, which destroys
 * those connections at once. A frozen database then costs the caller nothing more than its
 * deadline: the statement in flight fails, no rollback is awaited, and the connection never goes
 * back to the pool.
 */
export class ConnectionLease {
  #expired = false
  readonly #held = new Set<() => void>()

  get expired(): boolean {
    return this.#expired
  }

  /** Registers a connection's `discard`; the returned function unregisters it when it is released. */
  hold(discard: () => void): () => void {
    if (this.#expired) {
      discard()
      return () => {}
    }
    this.#held.add(discard)
    return () => this.#held.delete(discard)
  }

  /** Discards every connection still held, and any acquired from now on. */
  expire(): void {
    this.#expired = true
    for (const discard of this.#held) discard()
    this.#held.clear()
  }
}

/** The lease of the unit of work running in the current asynchronous context, if any. */
export const currentLease = new AsyncLocalStorage<ConnectionLease>()
