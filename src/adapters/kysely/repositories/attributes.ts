import { typesKeptOnErasure } from "../../../domain/privacy/erasure"
import { Effect } from "effect"
import { sql } from "kysely"
import { NameTakenError } from "../../../domain/shared/errors"
import type { StorageRepositories } from "../../../ports/storage"
import * as R from "../rows"
import { attempt, attemptUnique } from "../storage-errors"
import type { Scope } from "./scope"

/** Custom attribute definitions and the values of contacts and conversations. */
export const attributesRepository = (s: Scope): StorageRepositories["attributes"] => {
  const { t } = s
  const definitions = t.attributeDefinitions
  const values = t.attributeValues
  return {
    get: (tenantId, id) => s.byId(definitions, tenantId, id).pipe(Effect.map((r) => (r === undefined ? null : R.toAttributeDefinition(r)))),
    findByKeys: (tenantId, keys) =>
      keys.length === 0
        ? Effect.succeed([])
        : attempt(() =>
            s.db
              .selectFrom(definitions)
              .selectAll()
              .where("tenant_id", "=", tenantId)
              .where("key", "in", [...new Set(keys)])
              .execute(),
          ).pipe(Effect.map((rows) => rows.map(R.toAttributeDefinition))),
    list: (tenantId, slice) =>
      attempt(() => {
        const { after, target } = slice
        const parameters: Record<string, unknown> = { tenant_id: tenantId, limit: slice.limit }
        if (target !== undefined) parameters.target = target
        if (after !== undefined) Object.assign(parameters, { after_key: after.name, after_id: after.id })
        const shape = `${slice.includeArchived ? "all" : "live"}.${target === undefined ? "any" : "target"}.${after === undefined ? "first" : "after"}`
        return s.run(`${definitions}.list.${shape}`, parameters, (b, v) => {
          let query = b.selectFrom(definitions).selectAll().where("tenant_id", "=", v.tenant_id)
          if (!slice.includeArchived) query = query.where("archived_at", "is", null)
          if (target !== undefined) query = query.where("target", "=", v.target)
          if (after !== undefined)
            query = query.where(sql<boolean>`(${sql.ref("key")} > ${v.after_key} or (${sql.ref("key")} = ${v.after_key} and id > ${v.after_id}))`)
          return query.orderBy("key").orderBy("id").limit(v.limit)
        })
      }).pipe(Effect.map((result) => result.rows.map(R.toAttributeDefinition))),
    requiredOf: (tenantId, target) =>
      attempt(() =>
        s.run(`${definitions}.required`, { tenant_id: tenantId, target }, (b, v) =>
          b
            .selectFrom(definitions)
            .selectAll()
            .where("tenant_id", "=", v.tenant_id)
            .where("target", "=", v.target)
            .where("required", "=", 1)
            .where("archived_at", "is", null)
            .orderBy("key"),
        ),
      ).pipe(Effect.map((result) => result.rows.map(R.toAttributeDefinition))),
    insert: (definition) =>
      attemptUnique(
        s.insertRow(definitions, R.attributeDefinitionRow(definition)),
        () => new NameTakenError({ message: `An attribute with the key "${definition.key}" already exists`, entity: "attribute", name: definition.key }),
      ).pipe(Effect.asVoid),
    update: (definition) => {
      const { tenant_id, id, ...row } = R.attributeDefinitionRow(definition)
      return s.versionedUpdate(definitions, "attribute", tenant_id, id, definition.version, row)
    },
    valuesOf: (tenantId, subject) =>
      attempt(() =>
        s.run(`${values}.ofSubject`, { tenant_id: tenantId, subject_kind: subject.kind, subject_id: subject.id }, (b, v) =>
          b
            .selectFrom(values)
            .selectAll()
            .where("tenant_id", "=", v.tenant_id)
            .where("subject_kind", "=", v.subject_kind)
            .where("subject_id", "=", v.subject_id)
            .orderBy("key"),
        ),
      ).pipe(Effect.map((result) => result.rows.map(R.toStoredAttributeValue))),
    // Writers of a subject's values first bump the subject's version, so no two replace the same value at once.
    putValue: (value) =>
      Effect.gen(function* () {
        yield* attempt(remove(s, values, value.tenantId, value.subject.kind, value.subject.id, value.key))
        yield* attempt(s.insertRow(values, R.attributeValueRow(value)))
      }),
    deleteValue: (tenantId, subject, key) =>
      attempt(remove(s, values, tenantId, subject.kind, subject.id, key)).pipe(Effect.map((result) => Number(result.numAffectedRows ?? 0n) > 0)),
    eraseByContact: (tenantId, contactId) =>
      attempt(() =>
        s.db
          .deleteFrom(values)
          .where("tenant_id", "=", tenantId)
          .where("value_type", "not in", [...typesKeptOnErasure])
          .where((w) =>
            w.or([
              w.and([w("subject_kind", "=", "contact"), w("subject_id", "=", contactId)]),
              w.and([
                w("subject_kind", "=", "conversation"),
                w("subject_id", "in", s.db.selectFrom(s.t.conversations).select("id").where("tenant_id", "=", tenantId).where("contact_id", "=", contactId)),
              ]),
            ]),
          )
          .executeTakeFirst(),
      ).pipe(Effect.map((result) => Number(result.numDeletedRows))),
  }
}

const remove = (s: Scope, table: string, tenantId: string, kind: string, id: string, key: string) => () =>
  s.run(`${table}.delete`, { tenant_id: tenantId, subject_kind: kind, subject_id: id, key }, (b, v) =>
    b
      .deleteFrom(table)
      .where("tenant_id", "=", v.tenant_id)
      .where("subject_kind", "=", v.subject_kind)
      .where("subject_id", "=", v.subject_id)
      .where("key", "=", v.key),
  )
