import { expect, it } from "vitest"
import { IdempotencyConflictError } from "../../domain/shared/errors"
import { conformanceKit, newTenant, at } from "./conformance-kit"
import type { StorageSubSuite } from "./storage-sub-suite"

/**
 * The `idempotency` sub-suite of the storage conformance suite.
 * Idempotency records: one stored answer per key and tenant.
 *
 * @example
 * ```ts
 * import { memoryStorage } from "rmc-details"
 * import { describeStorageConformance } from "rmc-details/testing"
 * describeStorageConformance("memory", memoryStorage(), { only: ["idempotency"] })
 * ```
 */
export const idempotencyConformance: StorageSubSuite = (storage) => {
  const { tx, q, txFailure } = conformanceKit(storage)

  it("store one answer per idempotency key", async () => {
    const tenantId = newTenant()
    const record = { tenantId, key: "k-1", operation: "createLabel", requestHash: "abc", response: { id: "x", nested: [1, "two"] }, createdAt: at(1) }
    await tx((r) => r.idempotency.insert(record))
    expect(await q((r) => r.idempotency.find(tenantId, "k-1"))).toEqual(record)
    expect(await txFailure((r) => r.idempotency.insert({ ...record, requestHash: "def" }))).toBeInstanceOf(IdempotencyConflictError)
    expect(await q((r) => r.idempotency.find(newTenant(), "k-1"))).toBeNull()
  })
}
