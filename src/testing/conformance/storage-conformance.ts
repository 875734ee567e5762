import { Context, type Layer } from "effect"
import { Storage } from "../../ports/storage"
import { declareSubSuites, type SubSuiteSelection } from "./declare-sub-suites"
import type { StorageSubSuite } from "./storage-sub-suite"
import * as storageSubSuites from "./storage-sub-suites"

/**
 * The name of a sub-suite of the storage conformance suite: `settings`, `contactsAndConversations`,
 * `catalogs`, `notes`, `tagging`, `calls`, `idempotency`, `activityAndOutbox`, `details`,
 * `searchAndReports`, `transactions`, `tenantIsolation`, `model`, and any sub-suite added since
 * (the type lists them all).
 *
 * @example
 * ```ts
 * import type { StorageSubSuiteName } from "rmc-details/testing"
 * const slow: ReadonlyArray<StorageSubSuiteName> = ["model", "tenantIsolation"]
 * ```
 */
export type StorageSubSuiteName = keyof typeof storageSubSuites

const registry: { readonly [Name in StorageSubSuiteName]: StorageSubSuite } = storageSubSuites

/**
 * The names of every sub-suite of the storage conformance suite, in the order they run.
 *
 * @example
 * ```ts
 * import { storageSubSuiteNames } from "rmc-details/testing"
 * console.log(storageSubSuiteNames.includes("model")) // true
 * ```
 */
export const storageSubSuiteNames: ReadonlyArray<StorageSubSuiteName> = (Object.keys(registry) as Array<StorageSubSuiteName>).sort()

/**
 * Options of the storage conformance suite.
 *
 * `only` runs the named sub-suites and leaves the others out; `skip` declares sub-suites skipped,
 * each with the reason shown in the test report. A name that is not a sub-suite is a type error
 * (and an error at run time, for callers without types).
 *
 * @example
 * ```ts
 * import type { StorageConformanceOptions } from "rmc-details/testing"
 * const options: StorageConformanceOptions = {
 *   numRuns: 100,
 *   skip: { searchAndReports: "this store has no search; the panel runs without it" },
 * }
 * ```
 */
export interface StorageConformanceOptions extends SubSuiteSelection<StorageSubSuiteName> {
  /** Runs of each property and of the model-based test; `RMC_NUM_RUNS` or 25 by default. */
  readonly numRuns?: number | undefined
}

/**
 * Declares the storage conformance suite in vitest, against the same `Layer<Storage>` you give
 * `createRmc`: every method of the storage port, tenant isolation, optimistic concurrency, unique
 * catalog names, idempotency keys, all-or-nothing transactions, and a model-based test of random
 * command sequences against a reference model, in named sub-suites (see {@link StorageSubSuiteName})
 * that `options.only` selects and `options.skip` skips with a reason.
 *
 * The layer is built once, before the first test, in a scope that is closed after the last one:
 * a layer that opens a pool or a file with `Effect.acquireRelease` has it released. Each test works
 * in fresh tenants, so the store may be a shared database that holds other data. Call it at the top
 * level of a test file, or inside a `describe`.
 *
 * @example
 * ```ts
 * import { memoryStorage } from "rmc-details"
 * import { describeStorageConformance } from "rmc-details/testing"
 * describeStorageConformance("memory", memoryStorage())
 * describeStorageConformance("memory, model only", memoryStorage(), { only: ["model"], numRuns: 200 })
 * ```
 */
export const describeStorageConformance = (name: string, layer: Layer.Layer<Storage, unknown>, options: StorageConformanceOptions = {}): void =>
  declareSubSuites({
    title: `storage conformance: ${name}`,
    layer,
    from: (context) => Context.get(context, Storage),
    subSuites: registry,
    selection: options,
    declare: (subSuite, storage) => subSuite(storage, { numRuns: options.numRuns ?? Number(process.env.RMC_NUM_RUNS ?? 25) }),
  })
