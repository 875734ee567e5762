import * as z from "zod"
import { EntityId, ExternalId, Timestamp } from "../shared/ids"
import { text } from "../shared/text"

/**
 * What values an attribute holds: `text`, `number`, `boolean`, `date` (a calendar day,
 * `YYYY-MM-DD`), `enum` (one of the definition's options), `url` (http or https), `email`
 * (stored in lower case), `phone` (stored in E.164, read with the tenant's region).
 *
 * @example
 * ```ts
 * import { AttributeType } from "rmc-details"
 * AttributeType.parse("enum")
 * ```
 */
export const AttributeType = z.enum(["text", "number", "boolean", "date", "enum", "url", "email", "phone"]).meta({ id: "AttributeType" })
/** @see {@link AttributeType} */
export type AttributeType = z.infer<typeof AttributeType>

/**
 * What an attribute describes: a `contact` or a `conversation`.
 *
 * @example
 * ```ts
 * import { AttributeTarget } from "rmc-details"
 * AttributeTarget.parse("contact")
 * ```
 */
export const AttributeTarget = z.enum(["contact", "conversation"]).meta({ id: "AttributeTarget" })
/** @see {@link AttributeTarget} */
export type AttributeTarget = z.infer<typeof AttributeTarget>

/**
 * The stable identifier of an attribute in its tenant: a lower-case letter, then lower-case
 * letters, digits or `_`, 50 characters at most (`contract_number`). Unique per tenant, whatever
 * the target, so that a key alone names an attribute in a search.
 *
 * @example
 * ```ts
 * import { AttributeKey } from "rmc-details"
 * AttributeKey.parse("customer_tier")
 * ```
 */
export const AttributeKey = z.string().regex(/^[a-z][a-z0-9_]{0,49}$/, "a lower-case letter, then lower-case letters, digits or _ (50 at most)")
/** @see {@link AttributeKey} */
export type AttributeKey = z.infer<typeof AttributeKey>

/**
 * One option of an `enum` attribute: 1 to 80 characters, no control character.
 *
 * @example
 * ```ts
 * import { AttributeOption } from "rmc-details"
 * AttributeOption.parse("Gold")
 * ```
 */
export const AttributeOption = text({ min: 1, max: 80 })

/**
 * A value of an attribute as callers write and read it: a string (text, date, enum, URL, e-mail,
 * phone), a number or a boolean.
 *
 * @example
 * ```ts
 * import { AttributeValue } from "rmc-details"
 * AttributeValue.parse(42)
 * ```
 */
export const AttributeValue = z.union([text({ max: 1000, trim: false }), z.number(), z.boolean()]).meta({ id: "AttributeValue" })
/** @see {@link AttributeValue} */
export type AttributeValue = z.infer<typeof AttributeValue>

/**
 * A tenant's definition of a custom attribute. Its `key`, `type` and `target` never change, so
 * that no stored value ever stops matching its definition: an update changes the `label`, adds
 * `options` to an enum (an option is never removed) or turns `required` on or off. An archived
 * definition keeps its values (they are still read and searched) but no value of it can be set or
 * cleared any more, and its `required` is no longer enforced.
 *
 * @example
 * ```ts
 * import type { AttributeDefinition } from "rmc-details"
 * const isEnum = (d: AttributeDefinition) => d.type === "enum"
 * ```
 */
export const AttributeDefinition = z
  .object({
    id: EntityId,
    tenantId: ExternalId,
    key: AttributeKey,
    label: z.string().min(1).max(80),
    type: AttributeType,
    target: AttributeTarget,
    /** The allowed values of an `enum`, in the order they were given; empty for other types. */
    options: z.array(AttributeOption),
    required: z.boolean(),
    createdAt: Timestamp,
    archivedAt: Timestamp.nullable(),
    version: z.number().int().positive(),
  })
  .meta({ id: "AttributeDefinition" })
/** @see {@link AttributeDefinition} */
export type AttributeDefinition = z.infer<typeof AttributeDefinition>

/**
 * The record whose attributes are read or set: a contact or a conversation.
 *
 * @example
 * ```ts
 * import { AttributeSubject } from "rmc-details"
 * AttributeSubject.parse({ kind: "contact", id: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11" })
 * ```
 */
export const AttributeSubject = z.object({ kind: AttributeTarget, id: EntityId }).meta({ id: "AttributeSubject" })
/** @see {@link AttributeSubject} */
export type AttributeSubject = z.infer<typeof AttributeSubject>

/**
 * The custom attribute values of a contact or a conversation, by key; a key without a value is
 * absent.
 *
 * @example
 * ```ts
 * import { AttributeValues } from "rmc-details"
 * AttributeValues.parse({ customer_tier: "Gold", seats: 12 })
 * ```
 */
export const AttributeValues = z.record(z.string(), AttributeValue).meta({ id: "AttributeValues" })
/** @see {@link AttributeValues} */
export type AttributeValues = z.infer<typeof AttributeValues>

/**
 * The custom attributes of a contact or a conversation, with the subject's version after the
 * change (setting attributes is a change of the subject, guarded by its `expectedVersion`).
 *
 * @example
 * ```ts
 * import type { SubjectAttributes } from "rmc-details"
 * const tier = (a: SubjectAttributes) => a.values.customer_tier
 * ```
 */
export const SubjectAttributes = z
  .object({ subject: AttributeSubject, values: AttributeValues, version: z.number().int().positive() })
  .meta({ id: "SubjectAttributes" })
/** @see {@link SubjectAttributes} */
export type SubjectAttributes = z.infer<typeof SubjectAttributes>

/**
 * One stored value of an attribute: what the storage port reads and writes. `type` is the
 * definition's (which never changes), kept beside the value so that a store can read it back typed
 * without the definition.
 *
 * @example
 * ```ts
 * import type { StoredAttributeValue } from "rmc-details"
 * const isSet = (v: StoredAttributeValue) => v.value !== ""
 * ```
 */
export interface StoredAttributeValue {
  readonly tenantId: string
  readonly subject: AttributeSubject
  readonly key: string
  readonly type: AttributeType
  readonly value: AttributeValue
  readonly updatedAt: string
}

/**
 * The values of a subject as callers read them, by key.
 *
 * @example
 * ```ts
 * import { valuesByKey } from "rmc-details"
 * valuesByKey([])
 * ```
 */
export const valuesByKey = (values: ReadonlyArray<Pick<StoredAttributeValue, "key" | "value">>): AttributeValues =>
  Object.fromEntries([...values].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((v) => [v.key, v.value]))
