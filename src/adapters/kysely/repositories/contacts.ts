import { Effect } from "effect"
import { sql } from "kysely"
import type { StorageRepositories } from "../../../ports/storage"
import * as R from "../rows"
import { attempt } from "../storage-errors"
import type { Scope } from "./scope"

/** Contacts, versioned. */
export const contactsRepository = (s: Scope): StorageRepositories["contacts"] => {
  const { db, t } = s
  return {
    get: (tenantId, id) => s.byId(t.contacts, tenantId, id).pipe(Effect.map((r) => (r === undefined ? null : R.toContact(r)))),
    getLocked: (tenantId, id, mode) => s.byIdLocked(t.contacts, tenantId, id, mode).pipe(Effect.map((r) => (r === undefined ? null : R.toContact(r)))),
    insert: (contact) => attempt(s.insertRow(t.contacts, R.contactRow(contact))).pipe(Effect.asVoid),
    update: (contact) => {
      const { tenant_id, id, ...values } = R.contactRow(contact)
      return s.versionedUpdate(t.contacts, "contact", tenant_id, id, contact.version, values)
    },
    // Catalog changes are rare and admin-only: plain statements, not cached templates.
    countByType: (tenantId, types) =>
      types.length === 0
        ? Effect.succeed([])
        : attempt(() =>
            db
              .selectFrom(t.contacts)
              .select(["type", (eb) => eb.fn.countAll<number | string | bigint>().as("contacts")])
              .where("tenant_id", "=", tenantId)
              .where("type", "in", [...types])
              .groupBy("type")
              .execute(),
          ).pipe(
            Effect.map((rows) =>
              rows
                .map((row) => ({ type: String(row.type), contacts: Number(row.contacts) }))
                .filter((row) => row.contacts > 0)
                .sort((a, b) => types.indexOf(a.type) - types.indexOf(b.type)),
            ),
          ),
    replaceType: (tenantId, from, to) =>
      attempt(() =>
        db.updateTable(t.contacts).set({ type: to, version: sql`version + 1` }).where("tenant_id", "=", tenantId).where("type", "=", from).executeTakeFirst(),
      ).pipe(Effect.map((result) => Number(result.numUpdatedRows))),
  }
}
