import { Effect } from "effect"
import fc from "fast-check"
import { expect, it } from "vitest"
import { NameTakenError, type StorageError } from "../../domain/shared/errors"
import { normalizeName } from "../../domain/tagging/normalize-name"
import type { NameCursorKey } from "../../domain/shared/page"
import type { CatalogSlice, StorageRepositories } from "../../ports/storage"
import * as A from "../arbitraries/entities"
import { conformanceKit, one, newTenant, at } from "./conformance-kit"
import type { StorageSubSuite } from "./storage-sub-suite"
import { nameOrder, orderBy } from "../../domain/shared/ordering"

/**
 * The `catalogs` sub-suite of the storage conformance suite.
 * Departments, keywords and labels: names unique per tenant ignoring case and accents, listing by
 * name a page at a time with a name search, archived ones on request, renaming without stealing a
 * name.
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

    type CatalogEntry = { readonly id: string; readonly name: string; readonly normalizedName: string; readonly archivedAt: string | null }
    const list = (r: StorageRepositories, tenantId: string, slice: Partial<CatalogSlice>) =>
      (r[kind] as StorageRepositories["labels"]).list(tenantId, { includeArchived: false, limit: 100, ...slice }) as Effect.Effect<
        ReadonlyArray<CatalogEntry>,
        StorageError
      >
    const insert = (records: ReadonlyArray<CatalogEntry>) =>
      tx((r) => Effect.forEach(records, (rec) => (r[kind] as StorageRepositories["labels"]).insert(rec as never)))
    const named = (tenantId: string, name: string, archived = false): CatalogEntry => ({
      ...make(tenantId),
      name,
      normalizedName: normalizeName(name),
      archivedAt: archived ? at(5) : null,
    })

    it(`${kind}: names are unique per tenant, ignoring case and accents`, async () => {
      await fc.assert(
        fc.asyncProperty(
          A.arbitraries.catalogName.chain((n) => fc.tuple(fc.constant(n), A.nameVariant(n))),
          async ([name, variant]) => {
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
          },
        ),
        { numRuns: Math.min(numRuns, 10) },
      )
    })

    it(`${kind}: are listed by name, archived ones on request, and renamed without stealing a name`, async () => {
      const tenantId = newTenant()
      const names = ["Zèbre", "alpha", "Mid"]
      const records = names.map((n) => ({ ...make(tenantId), name: n, normalizedName: normalizeName(n) }))
      await tx((r) => Effect.forEach(records, (rec) => (r[kind] as StorageRepositories["labels"]).insert(rec as never)))
      expect((await q((r) => list(r, tenantId, { includeArchived: false }))).map((x) => x.name)).toEqual(["alpha", "Mid", "Zèbre"])
      const archived = { ...records[0]!, archivedAt: at(5) }
      await tx((r) => (r[kind] as StorageRepositories["labels"]).update(archived as never))
      expect((await q((r) => list(r, tenantId, { includeArchived: false }))).map((x) => x.name)).toEqual(["alpha", "Mid"])
      expect((await q((r) => list(r, tenantId, { includeArchived: true }))).map((x) => x.name)).toEqual(["alpha", "Mid", "Zèbre"])
      expect(await q((r) => r[kind].get(tenantId, records[0]!.id))).toEqual(archived)
      const steal = { ...records[1]!, name: "MID", normalizedName: "mid" }
      expect(await txFailure((r) => (r[kind] as StorageRepositories["labels"]).update(steal as never))).toBeInstanceOf(NameTakenError)
      expect(await q((r) => list(r, newTenant(), { includeArchived: true }))).toEqual([])
    })

    it(`${kind}: pages follow each other A to Z, with no record twice or missing, under a name search, while records are added`, async () => {
      const byName = orderBy(nameOrder, (rec: CatalogEntry) => ({ name: rec.normalizedName, id: rec.id }))
      const names = fc.uniqueArray(A.arbitraries.catalogName, { maxLength: 14, selector: normalizeName })
      await fc.assert(
        fc.asyncProperty(
          names,
          fc.array(fc.boolean(), { minLength: 14, maxLength: 14 }),
          fc.integer({ min: 1, max: 4 }),
          fc.constantFrom(undefined, "a", "e", "1", "b c"),
          fc.boolean(),
          async (allNames, archived, size, nameContains, includeArchived) => {
            const tenantId = newTenant()
            // The last names are added between the first page and the next ones.
            const lateCount = Math.floor(allNames.length / 3)
            const initial = allNames.slice(lateCount).map((n, i) => named(tenantId, n, archived[i]))
            const added = allNames.slice(0, lateCount).map((n) => named(tenantId, n))
            await insert([...initial, ...initial.slice(0, 2).map((rec) => named(newTenant(), rec.name))])
            const page = (after?: NameCursorKey) => q((r) => list(r, tenantId, { includeArchived, nameContains, limit: size, after }))
            const first = await page()
            await insert(added)
            const read = [...first]
            let last = first.length === size ? first.at(-1) : undefined
            while (last !== undefined) {
              const next = await page({ name: last.normalizedName, id: last.id })
              read.push(...next)
              last = next.length === size ? next.at(-1) : undefined
            }
            const wanted = (rec: CatalogEntry) =>
              (includeArchived || rec.archivedAt === null) && (nameContains === undefined || rec.normalizedName.includes(nameContains))
            const cursor = first.length === size ? first.at(-1) : undefined
            // A record added after the first page comes later only when it sorts after that page's last record.
            const reachable = added.filter((rec) => cursor !== undefined && byName(cursor, rec) < 0)
            expect(read.map((rec) => rec.id)).toEqual(
              [...initial, ...reachable]
                .filter(wanted)
                .sort(byName)
                .map((rec) => rec.id),
            )
          },
        ),
        { numRuns: Math.min(numRuns, 10) },
      )
    })

    it(`${kind}: a name search matches its text literally, wildcards of SQL included`, async () => {
      const tenantId = newTenant()
      await insert(["50% off", "5x0", "a_b", "axb", "a!b"].map((n) => named(tenantId, n)))
      const search = (nameContains: string) => q((r) => list(r, tenantId, { nameContains })).then((rows) => rows.map((rec) => rec.name))
      expect(await search("%")).toEqual(["50% off"])
      expect(await search("_")).toEqual(["a_b"])
      expect(await search("!")).toEqual(["a!b"])
      expect(await search("a")).toEqual(["a!b", "a_b", "axb"])
    })
  }
}
