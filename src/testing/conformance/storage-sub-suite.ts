import type { Storage } from "../../ports/storage"

/**
 * One named part of the storage conformance suite: a function that declares vitest `it` (and
 * `describe`) blocks against the store that `storage()` answers. It runs inside a `describe` named
 * after the sub-suite, and calls `storage()` only inside tests, once the store's layer is built.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { expect, it } from "vitest"
 * import type { StorageSubSuite } from "rmc-details/testing"
 * export const settingsAreEmpty: StorageSubSuite = (storage) => {
 *   it("knows no settings of a new tenant", async () => {
 *     const settings = await Effect.runPromise(storage().query((r) => r.settings.get("t-new")))
 *     expect(settings).toBeNull()
 *   })
 * }
 * ```
 */
export type StorageSubSuite = (storage: () => Storage["Service"], options: { readonly numRuns: number }) => void
