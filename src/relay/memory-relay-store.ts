import { Effect } from "effect"
import type { RelayLease, RelayState, RelayStore } from "./relay-store"

/**
 * A {@link RelayStore} in memory, by the process's clock: for tests and for a relay over the memory
 * store, where every instance runs in the same process.
 *
 * @example
 * ```ts
 * import { makeMemoryRelayStore } from "rmc-details/relay"
 * const store = makeMemoryRelayStore()
 * ```
 */
export const makeMemoryRelayStore = (now: () => number = Date.now): RelayStore => {
  const states = new Map<string, RelayState>()
  const empty: RelayState = { holder: null, token: 0, expiresAt: 0, position: 0, published: 0 }
  return {
    acquire: (relay, holder, ttlMs) =>
      Effect.sync((): RelayLease | null => {
        const state = states.get(relay) ?? empty
        if (state.holder !== null && state.expiresAt > now()) return null
        const next = { ...state, holder, token: state.token + 1, expiresAt: now() + ttlMs }
        states.set(relay, next)
        return { token: next.token, position: next.position }
      }),
    renew: (relay, holder, token, ttlMs) =>
      Effect.sync(() => {
        const state = states.get(relay)
        if (state === undefined || state.token !== token || state.holder !== holder) return false
        states.set(relay, { ...state, expiresAt: now() + ttlMs })
        return true
      }),
    checkpoint: (relay, token, position, published) =>
      Effect.sync(() => {
        const state = states.get(relay)
        if (state === undefined || state.token !== token) return false
        states.set(relay, { ...state, position, published: state.published + published })
        return true
      }),
    release: (relay, token) =>
      Effect.sync(() => {
        const state = states.get(relay)
        if (state !== undefined && state.token === token) states.set(relay, { ...state, holder: null, expiresAt: 0 })
      }),
    read: (relay) => Effect.sync(() => states.get(relay) ?? null),
  }
}
