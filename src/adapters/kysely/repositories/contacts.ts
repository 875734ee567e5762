import { Effect } from "effect"
import type { StorageRepositories } from "../../../ports/storage"
import * as R from "../rows"
import { attempt } from "../storage-errors"
import type { Scope } from "./scope"

/** Contacts, versioned. */
export const contactsRepository = (s: Scope): StorageRepositories["contacts"] => {
  const { t } = s
  return {
    get: (tenantId, id) => s.byId(t.contacts, tenantId, id).pipe(Effect.map((r) => (r === undefined ? null : R.toContact(r)))),
    insert: (contact) => attempt(s.insertRow(t.contacts, R.contactRow(contact))).pipe(Effect.asVoid),
    update: (contact) => {
      const { tenant_id, id, ...values } = R.contactRow(contact)
      return s.versionedUpdate(t.contacts, "contact", tenant_id, id, contact.version, values)
    },
  }
}
