import { Effect } from "effect"
import type { Department } from "../../domain/department/department"
import { NameTakenError, type StorageError } from "../../domain/shared/errors"
import type { Keyword } from "../../domain/tagging/keyword"
import type { Label } from "../../domain/tagging/label"
import { normalizeName } from "../../domain/tagging/normalize-name"
import type { CatalogSlice, StorageRepositories } from "../../ports/storage"

/**
 * The fields that departments, keywords and labels share: a catalog record named uniquely per tenant,
 * case- and accent-insensitively, that is archived rather than deleted.
 *
 * @internal
 */
export interface CatalogRecord {
  readonly id: string
  readonly tenantId: string
  readonly name: string
  readonly normalizedName: string
  readonly archivedAt: string | null
}

/**
 * Which catalog a record belongs to.
 *
 * @internal
 */
export type CatalogKind = "department" | "keyword" | "label"

/**
 * The record type of each catalog.
 *
 * @internal
 */
export interface CatalogRecords {
  readonly department: Department
  readonly keyword: Keyword
  readonly label: Label
}

/**
 * What the three catalog repositories of the storage port have in common.
 *
 * @internal
 */
export interface CatalogRepository<A extends CatalogRecord> {
  get(tenantId: string, id: string): Effect.Effect<A | null, StorageError>
  findByName(tenantId: string, normalizedName: string): Effect.Effect<A | null, StorageError>
  list(tenantId: string, slice: CatalogSlice): Effect.Effect<ReadonlyArray<A>, StorageError>
  insert(record: A): Effect.Effect<void, StorageError | NameTakenError>
  update(record: A): Effect.Effect<void, StorageError | NameTakenError>
}

/**
 * The repository of catalog `kind`.
 *
 * @internal
 */
export const catalogRepository = <K extends CatalogKind>(r: StorageRepositories, kind: K): CatalogRepository<CatalogRecords[K]> =>
  (kind === "department" ? r.departments : kind === "keyword" ? r.keywords : r.labels) as unknown as CatalogRepository<CatalogRecords[K]>

/**
 * Fails with {@link NameTakenError} when another record of the tenant's catalog has the same name
 * (ignoring case and accents). The store enforces it too; checking first gives the same error
 * without a failed write.
 *
 * @internal
 */
export const nameAvailable = (
  r: StorageRepositories,
  kind: CatalogKind,
  tenantId: string,
  name: string,
  exceptId: string | null,
): Effect.Effect<string, StorageError | NameTakenError> =>
  Effect.gen(function* () {
    const normalizedName = normalizeName(name)
    const taken = yield* catalogRepository(r, kind).findByName(tenantId, normalizedName)
    if (taken !== null && taken.id !== exceptId) {
      return yield* new NameTakenError({ message: `A ${kind} named "${taken.name}" already exists`, entity: kind, name })
    }
    return normalizedName
  })
