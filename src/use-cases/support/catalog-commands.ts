import { Effect } from "effect"
import type { ActivityType } from "../../domain/activity/activity-event"
import type { Principal } from "../../domain/shared/principal"
import { unchanged } from "../../domain/shared/transition"
import { catalogArchiveTransition } from "../../domain/tagging/catalog-archive-transition"
import { catalogRenameTransition } from "../../domain/tagging/catalog-rename-transition"
import { normalizeName } from "../../domain/tagging/normalize-name"
import { Storage } from "../../ports/storage"
import { runCommand } from "./command"
import { catalogRepository, type CatalogKind, nameAvailable } from "./catalog-records"
import { orNotFound } from "./find"
import { readNameCursor, toNamePage } from "./paging"
import { pageReadLimit } from "../../domain/shared/page"

/**
 * One page of one of the tenant's catalogs, A to Z: live records only unless `includeArchived`,
 * and with `query` only those whose name contains it once both are normalised (so case, accents
 * and spacing do not matter, as for uniqueness).
 *
 * @internal
 */
export const listCatalog = <K extends CatalogKind>(
  principal: Principal,
  kind: K,
  input: { readonly includeArchived: boolean; readonly query?: string | undefined; readonly limit: number; readonly cursor?: string | undefined },
) =>
  Effect.gen(function* () {
    const storage = yield* Storage
    const after = yield* readNameCursor(input.cursor)
    const nameContains = input.query === undefined ? undefined : normalizeName(input.query)
    const rows = yield* storage.query((r) =>
      catalogRepository(r, kind).list(principal.tenantId, { includeArchived: input.includeArchived, nameContains, limit: pageReadLimit(input.limit), after }),
    )
    return toNamePage(rows, input.limit)
  })

/**
 * Renames a catalog record, keeping names unique per tenant (case- and accent-insensitively).
 * Renaming to the same name changes nothing.
 *
 * @internal
 */
export const renameCatalogRecord = <K extends CatalogKind>(principal: Principal, kind: K, id: string, name: string, eventType: ActivityType) =>
  runCommand(principal, (r) => orNotFound(kind, id)(catalogRepository(r, kind).get(principal.tenantId, id)))({
    transition: (record, { r }) =>
      record.name === name
        ? unchanged
        : Effect.map(nameAvailable(r, kind, principal.tenantId, name, record.id), (normalizedName) =>
            catalogRenameTransition(record, name, normalizedName, eventType),
          ),
    save: (r, next) => catalogRepository(r, kind).update(next),
  })

/**
 * Archives a catalog record: it can no longer be assigned, attached or applied, and stays where it
 * already is. Archiving an archived record changes nothing.
 *
 * @internal
 */
export const archiveCatalogRecord = <K extends CatalogKind>(principal: Principal, kind: K, id: string, eventType: ActivityType) =>
  runCommand(principal, (r) => orNotFound(kind, id)(catalogRepository(r, kind).get(principal.tenantId, id)))({
    transition: (record, { now }) => catalogArchiveTransition(record, now, eventType),
    save: (r, next) => catalogRepository(r, kind).update(next),
  })
