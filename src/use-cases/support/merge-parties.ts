import { Effect } from "effect"
import type { StoredAttributeValue } from "../../domain/attribute/attribute-definition"
import type { Contact } from "../../domain/contact/contact"
import { ContactErasedError, ForbiddenError, MergeRefusedError, type MergeRefusal, NotFoundError, type StorageError } from "../../domain/shared/errors"
import { hasRole, type Principal } from "../../domain/shared/principal"
import type { TenantSettings } from "../../domain/tenant/tenant-settings"
import type { StorageRepositories } from "../../ports/storage"
import { lockedSettingsOf } from "./settings"

const day = 86_400_000

/** The oldest merge time still inside the tenant's unmerge window at `now`. @internal */
export const unmergeWindowStart = (settings: TenantSettings, now: string): string =>
  new Date(Date.parse(now) - settings.merge.unmergeWindowDays * day).toISOString()

/** A refusal of a merge or an unmerge. @internal */
export const refused = (reason: MergeRefusal, message: string) => new MergeRefusedError({ message, reason })

/**
 * The tenant's settings, once the principal's role is one the tenant lets merge and unmerge
 * (`merge.minRole`); a `forbidden` failure otherwise. Read under a shared lock, like every write
 * that gives a contact a type: a merge or an unmerge and a change of the type catalog wait for
 * each other.
 *
 * @internal
 */
export const mergeSettings = (r: StorageRepositories, principal: Principal, operation: string): Effect.Effect<TenantSettings, StorageError | ForbiddenError> =>
  Effect.flatMap(lockedSettingsOf(r, principal.tenantId, "share"), (settings) =>
    hasRole(principal, settings.merge.minRole)
      ? Effect.succeed(settings)
      : Effect.fail(new ForbiddenError({ message: `${operation} needs the role ${settings.merge.minRole} or higher in this tenant`, operation })),
  )

/**
 * Reads the two contacts `a` and `b`, locked for update in id order when `lock` (plain reads
 * otherwise), by id: every merge and unmerge takes its two locks in that order, so that two of them
 * on the same contacts never wait for each other in a cycle.
 *
 * @internal
 */
export const contactPair = (
  r: StorageRepositories,
  tenantId: string,
  a: string,
  b: string,
  lock: boolean,
): Effect.Effect<ReadonlyMap<string, Contact | null>, StorageError> =>
  Effect.gen(function* () {
    const read = (id: string) => (lock ? r.contacts.getLocked(tenantId, id, "update") : r.contacts.get(tenantId, id))
    const [first, second] = a < b ? [a, b] : [b, a]
    const found = new Map<string, Contact | null>()
    found.set(first, yield* read(first))
    found.set(second, yield* read(second))
    return found
  })

/**
 * Reads both contacts of a merge, locked for update in id order (two merges of the same contacts
 * never wait for each other in a cycle) when `lock`, and checks that they can be merged: two
 * different contacts of the tenant, neither a tombstone, neither erased, and the secondary not the
 * primary of a merge that can still be undone (that would make a chain).
 *
 * @internal
 */
export const mergeParties = (
  r: StorageRepositories,
  tenantId: string,
  ids: { readonly primaryId: string; readonly secondaryId: string },
  windowStart: string,
  lock: boolean,
): Effect.Effect<{ readonly primary: Contact; readonly secondary: Contact }, StorageError | NotFoundError | MergeRefusedError | ContactErasedError> =>
  Effect.gen(function* () {
    const { primaryId, secondaryId } = ids
    if (primaryId === secondaryId) return yield* refused("same_contact", "a contact cannot be merged with itself")
    const found = yield* contactPair(r, tenantId, primaryId, secondaryId, lock)
    const of = (id: string) => {
      const contact = found.get(id) ?? null
      return contact === null ? Effect.fail(new NotFoundError({ message: `contact ${id} not found`, entity: "contact", id })) : Effect.succeed(contact)
    }
    const primary = yield* of(primaryId)
    const secondary = yield* of(secondaryId)
    if (primary.mergedInto !== null) return yield* refused("primary_merged", `contact ${primaryId} was merged into ${primary.mergedInto}`)
    if (secondary.mergedInto !== null) return yield* refused("secondary_merged", `contact ${secondaryId} was merged into ${secondary.mergedInto}`)
    for (const contact of [primary, secondary]) {
      if (contact.erasedAt !== null) {
        return yield* new ContactErasedError({ message: `contact ${contact.id} was erased`, contactId: contact.id, erasedAt: contact.erasedAt })
      }
    }
    const open = yield* r.merges.findOpenInto(tenantId, secondaryId, windowStart)
    if (open !== null) return yield* refused("chain", `contact ${open.secondaryId} was merged into ${secondaryId} and that merge can still be undone`)
    return { primary, secondary }
  })

/** A contact's custom attribute values, as stored. @internal */
export const contactAttributes = (
  r: StorageRepositories,
  tenantId: string,
  contactId: string,
): Effect.Effect<ReadonlyArray<StoredAttributeValue>, StorageError> => r.attributes.valuesOf(tenantId, { kind: "contact", id: contactId })
