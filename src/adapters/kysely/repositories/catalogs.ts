import { Effect } from "effect"
import { NameTakenError } from "../../../domain/shared/errors"
import type { StorageRepositories } from "../../../ports/storage"
import * as R from "../rows"
import { attempt, attemptUnique } from "../storage-errors"
import type { Scope } from "./scope"

/** A catalog (departments, keywords, labels): records with a name unique per tenant once normalised. */
const catalog = <A extends { readonly tenantId: string; readonly id: string; readonly name: string }>(
  s: Scope,
  table: string,
  entity: "department" | "keyword" | "label",
  toRow: (a: A) => Record<string, unknown>,
  fromRow: (r: R.Row) => A,
) => {
  const taken = (record: A) => () => new NameTakenError({ message: `A ${entity} with the name "${record.name}" already exists`, entity, name: record.name })
  return {
    get: (tenantId: string, id: string) => s.byId(table, tenantId, id).pipe(Effect.map((r) => (r === undefined ? null : fromRow(r)))),
    findByName: (tenantId: string, normalizedName: string) =>
      attempt(() =>
        s.run(`${table}.byName`, { tenant_id: tenantId, normalized_name: normalizedName }, (b, v) =>
          b.selectFrom(table).selectAll().where("tenant_id", "=", v.tenant_id).where("normalized_name", "=", v.normalized_name),
        ),
      ).pipe(Effect.map((result) => (result.rows[0] === undefined ? null : fromRow(result.rows[0])))),
    list: (tenantId: string, includeArchived: boolean) =>
      attempt(() => {
        let query = s.db.selectFrom(table).selectAll().where("tenant_id", "=", tenantId)
        if (!includeArchived) query = query.where("archived_at", "is", null)
        return query.orderBy("normalized_name").orderBy("id").execute()
      }).pipe(Effect.map((rows) => rows.map(fromRow))),
    insert: (record: A) => attemptUnique(s.insertRow(table, toRow(record)), taken(record)).pipe(Effect.asVoid),
    update: (record: A) => {
      const { tenant_id, id, ...values } = toRow(record)
      return attemptUnique(s.updateRow(table, String(tenant_id), String(id), values), taken(record)).pipe(Effect.asVoid)
    },
  }
}

/** Departments. */
export const departmentsRepository = (s: Scope): StorageRepositories["departments"] => catalog(s, s.t.departments, "department", R.departmentRow, R.toDepartment)

/** Keywords. */
export const keywordsRepository = (s: Scope): StorageRepositories["keywords"] => ({
  ...catalog(s, s.t.keywords, "keyword", R.keywordRow, R.toKeyword),
  getLocked: (tenantId, id, mode) => s.byIdLocked(s.t.keywords, tenantId, id, mode).pipe(Effect.map((r) => (r === undefined ? null : R.toKeyword(r)))),
})

/** Labels. */
export const labelsRepository = (s: Scope): StorageRepositories["labels"] => catalog(s, s.t.labels, "label", R.labelRow, R.toLabel)
