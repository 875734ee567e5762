/**
 * The testing kit: fast-check arbitraries of every entity and every command (valid and invalid),
 * the storage and telephony conformance suites that every store and telephony system runs, and
 * fakes of the outside world.
 *
 * @example
 * ```ts
 * import { memoryStorage } from "rmc-details"
 * import { describeStorageConformance } from "rmc-details/testing"
 * describeStorageConformance("memory", memoryStorage())
 * ```
 *
 * @module rmc-details/testing
 */
export * from "./arbitraries/from-schema"
export * from "./arbitraries/entities"
export * from "./arbitraries/attribute-value"
export * from "./arbitraries/commands"
export * from "./arbitraries/input-context"
export * from "./arbitraries/phone-number"
export * from "./arbitraries/valid-input"
export type { SubSuiteSelection } from "./conformance/declare-sub-suites"
export * from "./conformance/hygiene-conformance"
export * from "./conformance/storage-sub-suite"
export * from "./conformance/storage-conformance"
export { storageModelTest } from "./conformance/storage-model"
export * from "./fake-voip-server"
export * from "./conformance/telephony-far-end"
export * from "./conformance/telephony-sub-suite"
export * from "./conformance/telephony-conformance"
export * from "./conformance/race-conformance"
export * from "./conformance/retries-conformance"
