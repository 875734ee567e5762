import { Effect } from "effect"
import type { ActivityType } from "../../domain/activity/activity-event"
import type { Principal } from "../../domain/shared/principal"
import { normalizeName } from "../../domain/tagging/normalize-name"
import { Storage } from "../../ports/storage"
import { activityEvent } from "./activity"
import { catalogRepository, type CatalogKind, nameAvailable } from "./catalog-records"
import { orNotFound } from "./find"
import { currentTime } from "./now"
import { readNameCursor, toNamePage } from "./paging"

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
      catalogRepository(r, kind).list(principal.tenantId, { includeArchived: input.includeArchived, nameContains, limit: input.limit + 1, after }),
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
  Effect.gen(function* () {
    const storage = yield* Storage
    const now = yield* currentTime
    return yield* storage.transaction((r) =>
      Effect.gen(function* () {
        const repository = catalogRepository(r, kind)
        const record = yield* orNotFound(kind, id)(repository.get(principal.tenantId, id))
        if (record.name === name) return record
        const normalizedName = yield* nameAvailable(r, kind, principal.tenantId, name, record.id)
        const next = { ...record, name, normalizedName }
        yield* repository.update(next)
        yield* r.activity.append([
          yield* activityEvent(principal, now, eventType, {
            subjectId: id,
            conversationId: null,
            contactId: null,
            before: { name: record.name },
            after: { name },
          }),
        ])
        return next
      }),
    )
  })

/**
 * Archives a catalog record: it can no longer be assigned, attached or applied, and stays where it
 * already is. Archiving an archived record changes nothing.
 *
 * @internal
 */
export const archiveCatalogRecord = <K extends CatalogKind>(principal: Principal, kind: K, id: string, eventType: ActivityType) =>
  Effect.gen(function* () {
    const storage = yield* Storage
    const now = yield* currentTime
    return yield* storage.transaction((r) =>
      Effect.gen(function* () {
        const repository = catalogRepository(r, kind)
        const record = yield* orNotFound(kind, id)(repository.get(principal.tenantId, id))
        if (record.archivedAt !== null) return record
        const next = { ...record, archivedAt: now }
        yield* repository.update(next)
        yield* r.activity.append([
          yield* activityEvent(principal, now, eventType, { subjectId: id, conversationId: null, contactId: null, after: { archivedAt: now } }),
        ])
        return next
      }),
    )
  })
