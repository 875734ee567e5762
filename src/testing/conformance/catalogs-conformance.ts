import { Effect } from "effect"
import fc from "fast-check"
import { expect, it } from "vitest"
import { NameTakenError } from "../../domain/shared/errors"
import { normalizeName } from "../../domain/tagging/normalize-name"
import type { StorageRepositories } from "../../ports/storage"
import * as A from "../arbitraries/entities"
import { conformanceKit, one, newTenant, at } from "./conformance-kit"
import type { StorageSubSuite } from "./storage-sub-suite"

/**
 * The `catalogs` sub-suite of the storage conformance suite.
 * Departments, keywords and labels: names unique per tenant ignoring case and accents, listing by
 * name, archived ones on request, renaming without stealing a name.
 *
 * @example
 * ```ts
 * import { memoryStorage } from "rmc-details"
 * import { describeStorageConformance } from "rmc-details/testing"
 * describeStorageConformance("memory", memoryStorage(), { only: ["catalogs"] })
 * ```
 */
export const catalogsConformance: StorageSubSuite = (storage, { numRuns }) => {
  const { tx, q, txFailure } = conformanceKit(storage)

  for (const kind of ["departments", "keywords", "labels"] as const) {
    const make = (tenantId: string) =>
      kind === "departments" ? one(A.department(tenantId)) : kind === "keywords" ? one(A.keyword(tenantId)) : one(A.label(tenantId))

    it(`${kind}: names are unique per tenant, ignoring case and accents`, async () => {
      await fc.assert(
        fc.asyncProperty(A.arbitraries.catalogName.chain((n) => fc.tuple(fc.constant(n), A.nameVariant(n))), async ([name, variant]) => {
          const tenantId = newTenant()
          const first = { ...make(tenantId), name, normalizedName: normalizeName(name) }
          const second = { ...make(tenantId), name: variant, normalizedName: normalizeName(variant) }
          await tx((r) => (r[kind] as StorageRepositories["labels"]).insert(first as never))
          const taken = await txFailure((r) => (r[kind] as StorageRepositories["labels"]).insert(second as never))
          expect(taken).toBeInstanceOf(NameTakenError)
          // another tenant may use the name
          const elsewhere = { ...make(newTenant()), name, normalizedName: normalizeName(name) }
          await tx((r) => (r[kind] as StorageRepositories["labels"]).insert(elsewhere as never))
          expect(await q((r) => r[kind].findByName(tenantId, normalizeName(variant)))).toEqual(first)
        }),
        { numRuns: Math.min(numRuns, 10) },
      )
    })

    it(`${kind}: are listed by name, archived ones on request, and renamed without stealing a name`, async () => {
      const tenantId = newTenant()
      const names = ["Zèbre", "alpha", "Mid"]
      const records = names.map((n) => ({ ...make(tenantId), name: n, normalizedName: normalizeName(n) }))
      await tx((r) => Effect.forEach(records, (rec) => (r[kind] as StorageRepositories["labels"]).insert(rec as never)))
      expect((await q((r) => r[kind].list(tenantId, false))).map((x) => x.name)).toEqual(["alpha", "Mid", "Zèbre"])
      const archived = { ...records[0]!, archivedAt: at(5) }
      await tx((r) => (r[kind] as StorageRepositories["labels"]).update(archived as never))
      expect((await q((r) => r[kind].list(tenantId, false))).map((x) => x.name)).toEqual(["alpha", "Mid"])
      expect((await q((r) => r[kind].list(tenantId, true))).map((x) => x.name)).toEqual(["alpha", "Mid", "Zèbre"])
      expect(await q((r) => r[kind].get(tenantId, records[0]!.id))).toEqual(archived)
      const steal = { ...records[1]!, name: "MID", normalizedName: "mid" }
      expect(await txFailure((r) => (r[kind] as StorageRepositories["labels"]).update(steal as never))).toBeInstanceOf(
        NameTakenError,
      )
      expect(await q((r) => r[kind].list(newTenant(), true))).toEqual([])
    })
  }
}
