import { expect, it } from "vitest"
import { VersionConflictError } from "../../domain/shared/errors"
import * as A from "../arbitraries/entities"
import { conformanceKit, one, newTenant } from "./conformance-kit"
import type { StorageSubSuite } from "./storage-sub-suite"

/**
 * The `settings` sub-suite of the storage conformance suite.
 * Tenant settings: inserted at version 1, then replaced only from the stored version.
 *
 * @example
 * ```ts
 * import { memoryStorage } from "rmc-details"
 * import { describeStorageConformance } from "rmc-details/testing"
 * describeStorageConformance("memory", memoryStorage(), { only: ["settings"] })
 * ```
 */
export const settingsConformance: StorageSubSuite = (storage) => {
  const { tx, q, txFailure } = conformanceKit(storage)

  it("are inserted at version 1, then replaced only from the stored version", async () => {
    const tenantId = newTenant()
    expect(await q((r) => r.settings.get(tenantId))).toBeNull()
    const v1 = { ...one(A.tenantSettings(tenantId)), version: 1 }
    await tx((r) => r.settings.put(v1))
    expect(await q((r) => r.settings.get(tenantId))).toEqual(v1)
    const v2 = { ...v1, policies: { ...v1.policies, noteBeforeTransfer: !v1.policies.noteBeforeTransfer }, version: 2 }
    await tx((r) => r.settings.put(v2))
    const stale = await txFailure((r) => r.settings.put({ ...v1, defaultRegion: "US", version: 2 }))
    expect(stale).toBeInstanceOf(VersionConflictError)
    expect(await txFailure((r) => r.settings.put({ ...v1, version: 1 }))).toBeInstanceOf(VersionConflictError)
    expect(await q((r) => r.settings.get(tenantId))).toEqual(v2)
  })
}
