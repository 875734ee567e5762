/**
 * In-memory adapters of the storage and telephony ports.
 *
 * @example
 * ```ts
 * import { createRmc, memoryStorage, memoryTelephony } from "rmc-details"
 * const rmc = createRmc({ storage: memoryStorage(), telephony: memoryTelephony() })
 * ```
 *
 * @module
 */
export * from "./memory-storage"
export * from "./memory-telephony"
