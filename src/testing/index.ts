/**
 * The testing kit: fast-check arbitraries of every entity and every command (valid and invalid),
 * the storage conformance suite that every store runs, and fakes of the outside world.
 *
 * @example
 * ```ts
 * import { makeMemoryStorage } from "rmc-details"
 * import { describeStorageConformance } from "rmc-details/testing"
 * describeStorageConformance("memory", async () => ({ storage: makeMemoryStorage() }))
 * ```
 *
 * @module rmc-details/testing
 */
export * from "./arbitraries/from-schema"
export * from "./arbitraries/entities"
export * from "./arbitraries/commands"
export * from "./conformance/hygiene-conformance"
export * from "./conformance/storage-conformance"
export * from "./conformance/storage-model"
export * from "./fake-voip-server"
