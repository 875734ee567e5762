import { Effect } from "effect"
import { NameTakenError } from "../../../domain/shared/errors"
import { sql } from "kysely"
import type { CatalogSlice, StorageRepositories } from "../../../ports/storage"
import * as R from "../rows"
import { attempt, attemptUnique } from "../storage-errors"
import { escapeLike, type Scope } from "./scope"

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
    list: (tenantId: string, slice: CatalogSlice) =>
      attempt(() => {
        const { after, nameContains } = slice
        const values: Record<string, unknown> = { tenant_id: tenantId, limit: slice.limit }
        if (nameContains !== undefined) values.pattern = `%${escapeLike(nameContains)}%`
        if (after !== undefined) Object.assign(values, { after_name: after.name, after_id: after.id })
        const shape = `${slice.includeArchived ? "all" : "live"}.${nameContains === undefined ? "any" : "like"}.${after === undefined ? "first" : "after"}`
        return s.run(`${table}.list.${shape}`, values, (b, v) => {
          let query = b.selectFrom(table).selectAll().where("tenant_id", "=", v.tenant_id)
          if (!slice.includeArchived) query = query.where("archived_at", "is", null)
          // "!" escapes the pattern on every SQL family (none treats it specially, unlike "\\").
          if (nameContains !== undefined) query = query.where(sql<boolean>`normalized_name like ${v.pattern} escape '!'`)
          if (after !== undefined)
            query = query.where(sql<boolean>`(normalized_name > ${v.after_name} or (normalized_name = ${v.after_name} and id > ${v.after_id}))`)
          return query.orderBy("normalized_name").orderBy("id").limit(v.limit)
        })
      }).pipe(Effect.map((result) => result.rows.map(fromRow))),
    insert: (record: A) => attemptUnique(s.insertRow(table, toRow(record)), taken(record)).pipe(Effect.asVoid),
    update: (record: A) => {
      const { tenant_id, id, ...values } = toRow(record)
      return attemptUnique(s.updateRow(table, String(tenant_id), String(id), values), taken(record)).pipe(Effect.asVoid)
    },
  }
}

/** Departments. */
export const departmentsRepository = (s: Scope): StorageRepositories["departments"] =>
  catalog(s, s.t.departments, "department", R.departmentRow, R.toDepartment)

/** Keywords. */
export const keywordsRepository = (s: Scope): StorageRepositories["keywords"] => ({
  ...catalog(s, s.t.keywords, "keyword", R.keywordRow, R.toKeyword),
  getLocked: (tenantId, id, mode) => s.byIdLocked(s.t.keywords, tenantId, id, mode).pipe(Effect.map((r) => (r === undefined ? null : R.toKeyword(r)))),
})

/** Labels. */
export const labelsRepository = (s: Scope): StorageRepositories["labels"] => catalog(s, s.t.labels, "label", R.labelRow, R.toLabel)
