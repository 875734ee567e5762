import * as z from "zod"
import { AttributeValue } from "../attribute/attribute-definition"
import { Contact } from "../contact/contact"
import { ContactIdentity } from "../contact/contact-identity"
import { EntityId, ExternalId, Timestamp } from "../shared/ids"

/**
 * The ids of the records a merge moved from the secondary contact to the primary one, by kind:
 * what an unmerge moves back (those still on the primary).
 *
 * @example
 * ```ts
 * import type { MovedRecords } from "rmc-details"
 * const none: MovedRecords = { conversations: [], notes: [], calls: [], activity: [] }
 * ```
 */
export const MovedRecords = z
  .object({
    conversations: z.array(EntityId),
    notes: z.array(EntityId),
    calls: z.array(EntityId),
    /** Activity event ids. */
    activity: z.array(EntityId),
  })
  .meta({ id: "MovedRecords" })
/** @see {@link MovedRecords} */
export type MovedRecords = z.infer<typeof MovedRecords>

/**
 * A contact's custom attribute values by key, as a merge records them.
 *
 * @example
 * ```ts
 * import type { MergeAttributeValues } from "rmc-details"
 * const values: MergeAttributeValues = { tier: "Gold" }
 * ```
 */
export const MergeAttributeValues = z.record(z.string(), AttributeValue)
/** @see {@link MergeAttributeValues} */
export type MergeAttributeValues = z.infer<typeof MergeAttributeValues>

/**
 * The record of a merge of two contacts of a tenant: who merged the secondary contact into the
 * primary one and when; both contacts as they were just before (with their custom attribute
 * values), the primary as the merge left it, the identities it gave the primary, the records it
 * moved; and, once undone, when and by whom. What `unmergeContacts` works from.
 *
 * @example
 * ```ts
 * import type { ContactMerge } from "rmc-details"
 * const undone = (m: ContactMerge) => m.unmergedAt !== null
 * ```
 */
export const ContactMerge = z
  .object({
    id: EntityId,
    tenantId: ExternalId,
    primaryId: EntityId,
    secondaryId: EntityId,
    mergedAt: Timestamp,
    mergedBy: ExternalId,
    /** The primary contact just before the merge. */
    primaryBefore: Contact,
    /** The primary contact as the merge left it. */
    primaryAfter: Contact,
    /** The secondary contact just before the merge. */
    secondaryBefore: Contact,
    primaryAttributesBefore: MergeAttributeValues,
    primaryAttributesAfter: MergeAttributeValues,
    /** The secondary's identities that the primary did not have and got from the merge. */
    movedIdentities: z.array(ContactIdentity),
    moved: MovedRecords,
    unmergedAt: Timestamp.nullable(),
    unmergedBy: ExternalId.nullable(),
  })
  .meta({ id: "ContactMerge" })
/** @see {@link ContactMerge} */
export type ContactMerge = z.infer<typeof ContactMerge>

/**
 * What `mergeContacts` answers: the merge's id (what `unmergeContacts` takes), the primary contact
 * as merged, and how many records of each kind moved to it.
 *
 * @example
 * ```ts
 * import type { ContactMergeResult } from "rmc-details"
 * const moved = (m: ContactMergeResult) => m.moved.conversations
 * ```
 */
export const ContactMergeResult = z
  .object({
    mergeId: EntityId,
    primary: Contact,
    secondaryId: EntityId,
    moved: z.object({
      conversations: z.number().int().nonnegative(),
      notes: z.number().int().nonnegative(),
      calls: z.number().int().nonnegative(),
      activity: z.number().int().nonnegative(),
    }),
  })
  .meta({ id: "ContactMergeResult" })
/** @see {@link ContactMergeResult} */
export type ContactMergeResult = z.infer<typeof ContactMergeResult>

/**
 * What `unmergeContacts` answers: both contacts as the unmerge left them, and how many records of
 * each kind went back to the secondary.
 *
 * @example
 * ```ts
 * import type { ContactUnmergeResult } from "rmc-details"
 * const back = (u: ContactUnmergeResult) => u.secondary.id
 * ```
 */
export const ContactUnmergeResult = z
  .object({
    mergeId: EntityId,
    primary: Contact,
    secondary: Contact,
    returned: z.object({
      conversations: z.number().int().nonnegative(),
      notes: z.number().int().nonnegative(),
      calls: z.number().int().nonnegative(),
      activity: z.number().int().nonnegative(),
    }),
  })
  .meta({ id: "ContactUnmergeResult" })
/** @see {@link ContactUnmergeResult} */
export type ContactUnmergeResult = z.infer<typeof ContactUnmergeResult>
