import { Effect } from "effect"
import type { ActivityType } from "../../domain/activity/activity-event"
import type { Principal } from "../../domain/shared/principal"
import { Storage } from "../../ports/storage"
import { activityEvent } from "./activity"
import { catalogRepository, type CatalogKind, nameAvailable } from "./catalog-records"
import { orNotFound } from "./find"
import { currentTime } from "./now"

/**
 * The records of one of the tenant's catalogs, live ones only unless `includeArchived`.
 *
 * @internal
 */
export const listCatalog = <K extends CatalogKind>(principal: Principal, kind: K, includeArchived: boolean) =>
  Effect.gen(function* () {
    const storage = yield* Storage
    return yield* storage.query((r) =>
      Effect.map(catalogRepository(r, kind).list(principal.tenantId, includeArchived), (rows) => [...rows]),
    )
  })

/**
 * Renames a catalog record, keeping names unique per tenant (case- and accent-insensitively).
 * Renaming to the same name changes nothing.
 *
 * @internal
 */
export const renameCatalogRecord = <K extends CatalogKind>(
  principal: Principal,
  kind: K,
  id: string,
  name: string,
  eventType: ActivityType,
) =>
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
