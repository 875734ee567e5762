import { Effect } from "effect"
import { VersionConflictError } from "../../../domain/shared/errors"
import type { StorageRepositories } from "../../../ports/storage"
import * as R from "../rows"
import { attempt, attemptUnique } from "../storage-errors"
import { changed, type Scope } from "./scope"

/** Tenant settings: one JSON document per tenant, versioned. */
export const settingsRepository = (s: Scope): StorageRepositories["settings"] => {
  const { t } = s
  return {
    get: (tenantId) =>
      attempt(() =>
        s.run(`${t.settings}.get`, { tenant_id: tenantId }, (b, v) => b.selectFrom(t.settings).selectAll().where("tenant_id", "=", v.tenant_id)),
      ).pipe(Effect.map((result) => (result.rows[0] === undefined ? null : R.toSettings(result.rows[0])))),
    getLocked: (tenantId, mode) => {
      const clause = s.c.lockingRead(mode)
      return attempt(() =>
        s.run(`${t.settings}.get.${clause === null ? "plain" : mode}`, { tenant_id: tenantId }, (b, v) => {
          const read = b.selectFrom(t.settings).selectAll().where("tenant_id", "=", v.tenant_id)
          return clause === null ? read : read.modifyEnd(clause)
        }),
      ).pipe(Effect.map((result) => (result.rows[0] === undefined ? null : R.toSettings(result.rows[0]))))
    },
    // A scheduled purge walks the tenants: a plain statement, not a cached template.
    list: (afterTenantId, limit) =>
      attempt(() => {
        const read = s.db.selectFrom(t.settings).selectAll().orderBy("tenant_id").limit(limit)
        return (afterTenantId === null ? read : read.where("tenant_id", ">", afterTenantId)).execute()
      }).pipe(Effect.map((rows) => rows.map(R.toSettings))),
    put: (settings) => {
      const { version, ...document } = settings
      if (version === 1) {
        return attemptUnique(
          () =>
            s.db
              .insertInto(t.settings)
              .values({ tenant_id: settings.tenantId, document: JSON.stringify(document), version })
              .execute(),
          () =>
            new VersionConflictError({
              message: `tenant ${settings.tenantId} has settings already`,
              entity: "tenant",
              id: settings.tenantId,
              expected: 0,
              actual: 1,
            }),
        ).pipe(Effect.asVoid)
      }
      return Effect.gen(function* () {
        const values = { tenant_id: settings.tenantId, document: JSON.stringify(document), version, expected: version - 1 }
        const result = yield* attempt(() =>
          s.run(`${t.settings}.update`, values, (b, v) =>
            b.updateTable(t.settings).set({ document: v.document, version: v.version }).where("tenant_id", "=", v.tenant_id).where("version", "=", v.expected),
          ),
        )
        if (changed(result) === 1) return
        const stored = yield* attempt(() => s.db.selectFrom(t.settings).select("version").where("tenant_id", "=", settings.tenantId).executeTakeFirst())
        const actual = stored === undefined ? 0 : Number(stored.version)
        return yield* new VersionConflictError({
          message: `tenant settings are at version ${actual}`,
          entity: "tenant",
          id: settings.tenantId,
          expected: version - 1,
          actual,
        })
      })
    },
  }
}
