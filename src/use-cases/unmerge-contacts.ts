import { Effect } from "effect"
import { valuesByKey } from "../domain/attribute/attribute-definition"
import { identitiesOf, identityKey } from "../domain/contact/contact-identity"
import { restoredSecondary, unmergedAttributes, unmergedPrimary } from "../domain/merge/unmerged-contacts"
import { NotFoundError } from "../domain/shared/errors"
import { Storage } from "../ports/storage"
import { activityEvent } from "./support/activity"
import { contactAttributes, contactPair, mergeSettings, refused, unmergeWindowStart } from "./support/merge-parties"
import { currentTime } from "./support/now"
import { defineUseCase } from "./support/use-case"

/**
 * Undoes a merge (`mergeId`, as `mergeContacts` answered it) within the tenant's unmerge window
 * (`merge.unmergeWindowDays`, 30 by default), in one transaction that locks both contacts. What
 * has not changed since the merge is split back exactly; what has follows these rules:
 *
 * - the conversations the merge moved go back to the secondary, with every note, call and event
 *   on them, those recorded since included;
 * - of the records on the contact itself, the notes and events the merge moved go back; those
 *   recorded on the primary since stay with it;
 * - a field of the primary (name, type, e-mail, primary phone, last activity, each custom
 *   attribute) goes back to its value before the merge only if it still has the value the merge
 *   gave it; a change made since stays;
 * - the phones and channel identities the merge gave the primary leave it; the secondary gets back
 *   its own as they were, but those another contact holds by then, which it goes without.
 *
 * Both contacts' activity records a `contact.unmerged` event. Refused with `merge_refused` when the
 * merge was undone already (`already_unmerged`), its window has passed (`window_closed`), or the
 * primary was merged into another contact since (`primary_merged`); with `not_found` for a merge
 * of another tenant; with `forbidden` below the tenant's merge role.
 *
 * @example
 * ```ts
 * import { unmergeContacts } from "rmc-details"
 * const program = unmergeContacts({ tenantId: "acme", agentId: "sam", role: "supervisor" },
 *   { mergeId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c13" })
 * ```
 */
export const unmergeContacts = defineUseCase("unmergeContacts", (principal, input) =>
  Effect.gen(function* () {
    const storage = yield* Storage
    const now = yield* currentTime
    const { tenantId } = principal
    return yield* storage.transaction((r) =>
      Effect.gen(function* () {
        const settings = yield* mergeSettings(r, principal, "unmergeContacts")
        const notFound = new NotFoundError({ message: `merge ${input.mergeId} not found`, entity: "merge", id: input.mergeId })
        const found = yield* r.merges.get(tenantId, input.mergeId)
        if (found === null) return yield* notFound
        // Locked in id order, like a merge; the record is read again under the locks.
        const locked = yield* contactPair(r, tenantId, found.primaryId, found.secondaryId, true)
        // An erasure of either contact may have deleted the record meanwhile.
        const merge = yield* r.merges.get(tenantId, input.mergeId)
        if (merge === null) return yield* notFound
        if (merge.unmergedAt !== null) return yield* refused("already_unmerged", `merge ${merge.id} was undone at ${merge.unmergedAt}`)
        if (merge.mergedAt < unmergeWindowStart(settings, now)) {
          return yield* refused("window_closed", `merge ${merge.id} can no longer be undone: the tenant's window is ${settings.merge.unmergeWindowDays} days`)
        }
        const primary = locked.get(merge.primaryId) ?? null
        const tombstone = locked.get(merge.secondaryId) ?? null
        if (primary === null || tombstone === null) return yield* notFound
        if (primary.mergedInto !== null) return yield* refused("primary_merged", `contact ${primary.id} was merged into ${primary.mergedInto} since`)
        const nextPrimary = unmergedPrimary(primary, merge, settings.contactTypes)
        // The primary gives up the secondary's identities first, for the secondary to claim them back.
        yield* r.contacts.update(nextPrimary, primary)
        const holders = new Map<string, string | null>()
        for (const identity of identitiesOf(merge.secondaryBefore)) {
          holders.set(identityKey(identity), (yield* r.contacts.findByIdentity(tenantId, identity))?.id ?? null)
        }
        const secondary = restoredSecondary(tombstone, merge, (identity) => {
          const holder = holders.get(identityKey(identity)) ?? null
          return holder === null || holder === tombstone.id
        })
        yield* r.contacts.update(secondary, tombstone)
        const values = yield* contactAttributes(r, tenantId, primary.id)
        const { put, remove } = unmergedAttributes(valuesByKey(values), merge)
        const stored = new Map(values.map((value) => [value.key, value]))
        for (const [key, value] of Object.entries(put)) {
          const current = stored.get(key)
          if (current !== undefined) yield* r.attributes.putValue({ ...current, value, updatedAt: now })
        }
        for (const key of remove) yield* r.attributes.deleteValue(tenantId, { kind: "contact", id: primary.id }, key)
        const returned = yield* r.merges.returnRecords(tenantId, primary.id, secondary.id, merge.moved)
        yield* r.merges.markUnmerged(tenantId, merge.id, now, principal.agentId)
        const after = { mergeId: merge.id, primaryId: primary.id, secondaryId: secondary.id, returned }
        yield* r.activity.append([
          yield* activityEvent(principal, now, "contact.unmerged", { subjectId: primary.id, conversationId: null, contactId: primary.id, after }),
          yield* activityEvent(principal, now, "contact.unmerged", { subjectId: secondary.id, conversationId: null, contactId: secondary.id, after }),
        ])
        return { mergeId: merge.id, primary: nextPrimary, secondary, returned }
      }),
    )
  }),
)
