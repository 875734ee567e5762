import { Effect } from "effect"
import { sql } from "kysely"
import { type ContactIdentity, identitiesOf, identityChanges } from "../../../domain/contact/contact-identity"
import { IdentityTakenError, StorageError } from "../../../domain/shared/errors"
import type { StorageRepositories } from "../../../ports/storage"
import * as R from "../rows"
import { attempt } from "../storage-errors"
import { changed, escapeLike, first, type Scope } from "./scope"

/** Contacts, versioned, and the index of who holds each identity (unique per tenant on kind and value). */
export const contactsRepository = (s: Scope): StorageRepositories["contacts"] => {
  const { t } = s
  const identityValues = (tenantId: string, identity: ContactIdentity) => ({ tenant_id: tenantId, kind: identity.kind, value: identity.value })

  // One statement per identity: a contact gains one or two at a time, and each statement is cached.
  // The insert skips a taken identity rather than failing, so that PostgreSQL keeps the transaction
  // usable to read who holds it; it waits for a concurrent holder's commit or rollback first.
  const claimOne = (tenantId: string, contactId: string, identity: ContactIdentity) =>
    Effect.gen(function* () {
      const inserted = yield* attempt(() =>
        s.run(`${t.contactIdentities}.claim`, { ...identityValues(tenantId, identity), contact_id: contactId }, (b, v) =>
          s.insertIgnore(b, t.contactIdentities, v, ["tenant_id", "kind", "value"]),
        ),
      )
      if (changed(inserted) === 1) return
      const holder = yield* attempt(() =>
        s.run<{ contact_id: string }>(`${t.contactIdentities}.holder`, identityValues(tenantId, identity), (b, v) =>
          b.selectFrom(t.contactIdentities).select("contact_id").where("tenant_id", "=", v.tenant_id).where("kind", "=", v.kind).where("value", "=", v.value),
        ),
      ).pipe(Effect.map(first))
      if (holder?.contact_id === contactId) return
      if (holder === undefined) {
        // Skipped, then released before the read: another writer is moving it; the unit of work runs again.
        return yield* new StorageError({ message: "The database reported a conflict with concurrent work", reason: "conflict" })
      }
      return yield* new IdentityTakenError({
        message: `${identity.kind} ${identity.value} belongs to contact ${holder.contact_id}`,
        identity,
        contactId: String(holder.contact_id),
      })
    })

  const releaseOne = (tenantId: string, contactId: string, identity: ContactIdentity) =>
    attempt(() =>
      s.run(`${t.contactIdentities}.release`, { ...identityValues(tenantId, identity), contact_id: contactId }, (b, v) =>
        b
          .deleteFrom(t.contactIdentities)
          .where("tenant_id", "=", v.tenant_id)
          .where("kind", "=", v.kind)
          .where("value", "=", v.value)
          .where("contact_id", "=", v.contact_id),
      ),
    )

  const move = (tenantId: string, contactId: string, gained: ReadonlyArray<ContactIdentity>, lost: ReadonlyArray<ContactIdentity>) =>
    Effect.andThen(
      Effect.forEach(lost, (identity) => releaseOne(tenantId, contactId, identity), { discard: true }),
      Effect.forEach(gained, (identity) => claimOne(tenantId, contactId, identity), { discard: true }),
    )

  return {
    get: (tenantId, id) => s.byId(t.contacts, tenantId, id).pipe(Effect.map((r) => (r === undefined ? null : R.toContact(r)))),
    getLocked: (tenantId, id, mode) => s.byIdLocked(t.contacts, tenantId, id, mode).pipe(Effect.map((r) => (r === undefined ? null : R.toContact(r)))),
    // The conversation is read in a subquery, which the locking clause leaves unlocked: only the contact is.
    getLockedByConversation: (tenantId, conversationId, mode) => {
      const clause = s.c.lockingRead(mode)
      return attempt(() =>
        s.run(`${t.contacts}.byConversation.${clause === null ? "plain" : mode}`, { tenant_id: tenantId, conversation_id: conversationId }, (b, v) =>
          b
            .selectFrom(t.contacts)
            .selectAll()
            .where("tenant_id", "=", v.tenant_id)
            .where("id", "=", b.selectFrom(t.conversations).select("contact_id").where("tenant_id", "=", v.tenant_id).where("id", "=", v.conversation_id))
            .$if(clause !== null, (q) => q.modifyEnd(clause!)),
        ),
      ).pipe(Effect.map((result) => (result.rows[0] === undefined ? null : R.toContact(result.rows[0]))))
    },
    insert: (contact) => Effect.andThen(attempt(s.insertRow(t.contacts, R.contactRow(contact))), move(contact.tenantId, contact.id, identitiesOf(contact), [])),
    update: (contact, previous) => {
      const { tenant_id, id, ...values } = R.contactRow(contact)
      const { gained, lost } = identityChanges(previous, contact)
      // The version is checked first: a stale `previous` must not move identities.
      return Effect.andThen(s.versionedUpdate(t.contacts, "contact", tenant_id, id, contact.version, values), move(tenant_id, id, gained, lost))
    },
    findByIdentity: (tenantId, identity) =>
      attempt(() =>
        s.run(`${t.contacts}.byIdentity`, identityValues(tenantId, identity), (b, v) =>
          b
            .selectFrom(`${t.contactIdentities} as i`)
            .innerJoin(`${t.contacts} as c`, (join) => join.onRef("c.tenant_id", "=", "i.tenant_id").onRef("c.id", "=", "i.contact_id"))
            .selectAll("c")
            .where("i.tenant_id", "=", v.tenant_id)
            .where("i.kind", "=", v.kind)
            .where("i.value", "=", v.value),
        ),
      ).pipe(Effect.map((result) => (result.rows[0] === undefined ? null : R.toContact(result.rows[0])))),
    listByNamePrefix: (tenantId, prefix, slice) =>
      attempt(() => {
        const { after } = slice
        const values: Record<string, unknown> = { tenant_id: tenantId, pattern: `${escapeLike(prefix)}%`, limit: slice.limit }
        if (after !== undefined) Object.assign(values, { after_name: after.name, after_id: after.id })
        return s.run(`${t.contacts}.byNamePrefix.${after === undefined ? "first" : "after"}`, values, (b, v) => {
          // "!" escapes the pattern on every SQL family (none treats it specially, unlike "\\").
          let query = b
            .selectFrom(t.contacts)
            .selectAll()
            .where("tenant_id", "=", v.tenant_id)
            .where("merged_into", "is", null)
            .where(sql<boolean>`normalized_name like ${v.pattern} escape '!'`)
          if (after !== undefined)
            query = query.where(sql<boolean>`(normalized_name > ${v.after_name} or (normalized_name = ${v.after_name} and id > ${v.after_id}))`)
          return query.orderBy("normalized_name").orderBy("id").limit(v.limit)
        })
      }).pipe(Effect.map((result) => result.rows.map(R.toContact))),
    // Catalog changes are rare and admin-only: plain statements, not cached templates.
    countByType: (tenantId, types) =>
      types.length === 0
        ? Effect.succeed([])
        : attempt(() =>
            s.db
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
        s.db.updateTable(t.contacts).set({ type: to, version: sql`version + 1` }).where("tenant_id", "=", tenantId).where("type", "=", from).executeTakeFirst(),
      ).pipe(Effect.map((result) => Number(result.numUpdatedRows))),
  }
}
