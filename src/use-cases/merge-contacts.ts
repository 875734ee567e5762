import { Effect } from "effect"
import { valuesByKey } from "../domain/attribute/attribute-definition"
import { identitiesOf, identityKey } from "../domain/contact/contact-identity"
import type { ContactMerge } from "../domain/merge/contact-merge"
import { contactTombstone, mergedContact } from "../domain/merge/merged-contact"
import { IdGenerator } from "../ports/id-generator"
import { Storage } from "../ports/storage"
import { activityEvent } from "./support/activity"
import { expectVersion } from "./support/expect-version"
import { contactAttributes, mergeParties, mergeSettings, unmergeWindowStart } from "./support/merge-parties"
import { currentTime } from "./support/now"
import { withSameIdentities } from "./support/same-identities"
import { defineUseCase } from "./support/use-case"

/**
 * Merges the contact `secondaryId` into `primaryId`, all-or-nothing, in one transaction that
 * locks both contacts. The primary keeps, for each conflicting field (see `previewMerge`), the
 * value `choose` names (its own by default) and gains every phone, e-mail address, channel
 * identity and custom attribute value of the secondary (see `mergedContact`). Every conversation,
 * note, call and activity event of the secondary moves to the primary. The secondary becomes a
 * tombstone: reading or writing it fails with `merged`, which names the primary. A write about the
 * secondary that runs at the same time either lands before the merge (and moves with it) or
 * waits for it and then fails with `merged`: none is lost on a tombstone.
 *
 * Both contacts' activity records a `contact.merged` event. Refused with `merge_refused` for a
 * contact merged with itself, a tombstone on either side, or a secondary that is the primary of a
 * merge that can still be undone (a chain); with `contact_erased` for an erased contact; with
 * `not_found` for a contact of another tenant; with `forbidden` below the tenant's merge role
 * (`merge.minRole`, supervisor by default). `unmergeContacts` undoes it within the tenant's window.
 *
 * @example
 * ```ts
 * import { mergeContacts } from "rmc-details"
 * const program = mergeContacts({ tenantId: "acme", agentId: "sam", role: "supervisor" },
 *   { primaryId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11", secondaryId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c12", choose: { fullName: "secondary" } })
 * ```
 */
export const mergeContacts = defineUseCase("mergeContacts", (principal, input) =>
  Effect.gen(function* () {
    const storage = yield* Storage
    const now = yield* currentTime
    const mergeId = yield* IdGenerator.use((ids) => ids.next)
    const { tenantId } = principal
    return yield* storage.transaction((r) =>
      Effect.gen(function* () {
        const settings = yield* mergeSettings(r, principal, "mergeContacts")
        const { primary, secondary } = yield* mergeParties(r, tenantId, input, unmergeWindowStart(settings, now), true)
        yield* expectVersion("contact", primary.id, input.expectedVersions?.primary, primary.version)
        yield* expectVersion("contact", secondary.id, input.expectedVersions?.secondary, secondary.version)
        const primaryValues = yield* contactAttributes(r, tenantId, primary.id)
        const secondaryValues = yield* contactAttributes(r, tenantId, secondary.id)
        const before = { contact: primary, attributes: valuesByKey(primaryValues) }
        const merged = mergedContact(before, { contact: secondary, attributes: valuesByKey(secondaryValues) }, input.choose ?? {})
        // The tombstone gives up its identities first, for the primary to claim them.
        const tombstone = contactTombstone(secondary, primary.id, now)
        yield* withSameIdentities(r.contacts.update(tombstone, secondary))
        yield* r.contacts.update(merged.contact, primary)
        for (const value of secondaryValues) {
          if (merged.attributes[value.key] !== before.attributes[value.key]) {
            yield* r.attributes.putValue({ ...value, subject: { kind: "contact", id: primary.id }, updatedAt: now })
          }
        }
        const moved = yield* r.merges.moveRecords(tenantId, secondary.id, primary.id)
        const held = new Set(identitiesOf(primary).map(identityKey))
        const record: ContactMerge = {
          id: mergeId,
          tenantId,
          primaryId: primary.id,
          secondaryId: secondary.id,
          mergedAt: now,
          mergedBy: principal.agentId,
          primaryBefore: primary,
          primaryAfter: merged.contact,
          secondaryBefore: secondary,
          primaryAttributesBefore: before.attributes,
          primaryAttributesAfter: merged.attributes,
          movedIdentities: identitiesOf(secondary).filter((identity) => !held.has(identityKey(identity))),
          moved,
          unmergedAt: null,
          unmergedBy: null,
        }
        yield* r.merges.insert(record)
        const counts = { conversations: moved.conversations.length, notes: moved.notes.length, calls: moved.calls.length, activity: moved.activity.length }
        // After the move, so that the secondary's own event stays on its timeline.
        yield* r.activity.append([
          yield* activityEvent(principal, now, "contact.merged", {
            subjectId: primary.id,
            conversationId: null,
            contactId: primary.id,
            after: { mergeId, primaryId: primary.id, secondaryId: secondary.id, moved: counts },
          }),
          yield* activityEvent(principal, now, "contact.merged", {
            subjectId: secondary.id,
            conversationId: null,
            contactId: secondary.id,
            after: { mergeId, primaryId: primary.id, secondaryId: secondary.id, moved: counts },
          }),
        ])
        return { mergeId, primary: merged.contact, secondaryId: secondary.id, moved: counts }
      }),
    )
  }),
)
