import { Effect } from "effect"
import { type AttributeSubject, type AttributeValue, type StoredAttributeValue, valuesByKey } from "../domain/attribute/attribute-definition"
import { ArchivedError } from "../domain/shared/errors"
import { Storage, type StorageRepositories } from "../ports/storage"
import { activityEvent } from "./support/activity"
import { attributeInvalid, checkedValue } from "./support/attributes"
import { expectVersion } from "./support/expect-version"
import { orNotFound } from "./support/find"
import { currentTime } from "./support/now"
import { withSameIdentities } from "./support/same-identities"
import { settingsOf } from "./support/settings"
import { liveContact } from "./support/live-contact"
import { defineUseCase } from "./support/use-case"

/**
 * The contact or conversation whose values change: its version, its contact, and the write that
 * moves its version on. The version is the guard: writers of one record's values run one after
 * the other, and a stale writer re-reads.
 */
const recordOf = (r: StorageRepositories, tenantId: string, subject: AttributeSubject) =>
  subject.kind === "contact"
    ? Effect.map(liveContact(subject.id)(r.contacts.get(tenantId, subject.id)), (contact) => ({
        version: contact.version,
        contactId: contact.id,
        bump: withSameIdentities(r.contacts.update({ ...contact, version: contact.version + 1 }, contact)),
      }))
    : Effect.map(orNotFound("conversation", subject.id)(r.conversations.get(tenantId, subject.id)), (conversation) => ({
        version: conversation.version,
        contactId: conversation.contactId,
        bump: r.conversations.update({ ...conversation, version: conversation.version + 1 }),
      }))

/**
 * Sets or clears (`null`) custom attribute values of a contact or a conversation; keys left out
 * keep their value. Each value is checked against its definition and stored normalised (see
 * `normalizeAttributeValue`; phone numbers with the tenant's region). Refused, with nothing
 * written, with `attribute_invalid` for a key the tenant does not define (`unknown_key`), an
 * attribute of the other kind of record (`wrong_target`), a value that does not fit
 * (`wrong_type`), or a change that leaves a required attribute of the record without a value
 * (`required`: required attributes are enforced here, on every change of a record's values, and
 * not when a record is created or an attribute made required); with `archived` for an archived
 * attribute. A change of the values is a change of the record: its version grows by one, and a
 * stale `expectedVersion` fails with `version_conflict`. Setting the values it already has
 * changes nothing.
 *
 * @example
 * ```ts
 * import { setAttributes } from "rmc-details"
 * const program = setAttributes({ tenantId: "acme", agentId: "alice", role: "agent" },
 *   { subject: { kind: "contact", id: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11" }, values: { customer_tier: "Gold" } })
 * ```
 */
export const setAttributes = defineUseCase("setAttributes", (principal, input) =>
  Effect.gen(function* () {
    const storage = yield* Storage
    const now = yield* currentTime
    const { tenantId } = principal
    const { subject } = input
    return yield* storage.transaction((r) =>
      Effect.gen(function* () {
        const record = yield* recordOf(r, tenantId, subject)
        yield* expectVersion(subject.kind, subject.id, input.expectedVersion, record.version)
        const settings = yield* settingsOf(r, tenantId)
        const definitions = new Map((yield* r.attributes.findByKeys(tenantId, Object.keys(input.values))).map((d) => [d.key, d]))
        const current = new Map((yield* r.attributes.valuesOf(tenantId, subject)).map((v) => [v.key, v]))
        const next = new Map<string, AttributeValue>([...current].map(([key, v]) => [key, v.value]))
        const writes: Array<StoredAttributeValue> = []
        const clears: Array<string> = []
        for (const [key, raw] of Object.entries(input.values)) {
          const definition = definitions.get(key)
          if (definition === undefined) return yield* attributeInvalid(key, "unknown_key", "the tenant defines no attribute with this key")
          if (definition.target !== subject.kind) return yield* attributeInvalid(key, "wrong_target", `an attribute of ${definition.target}s`)
          if (definition.archivedAt !== null) {
            return yield* new ArchivedError({ message: `attribute ${key} is archived`, entity: "attribute", id: definition.id })
          }
          const before = current.get(key)?.value
          if (raw === null) {
            next.delete(key)
            if (before !== undefined) clears.push(key)
            continue
          }
          const value = yield* checkedValue(definition, raw, settings.defaultRegion)
          next.set(key, value)
          if (before !== value) writes.push({ tenantId, subject, key, type: definition.type, value, updatedAt: now })
        }
        for (const required of yield* r.attributes.requiredOf(tenantId, subject.kind)) {
          if (!next.has(required.key)) return yield* attributeInvalid(required.key, "required", "required: give it a value")
        }
        const values = valuesByKey([...next].map(([key, value]) => ({ key, value })))
        if (writes.length === 0 && clears.length === 0) return { subject, values, version: record.version }
        const version = record.version + 1
        yield* record.bump
        for (const value of writes) yield* r.attributes.putValue(value)
        for (const key of clears) yield* r.attributes.deleteValue(tenantId, subject, key)
        const changed = [...writes.map((w) => w.key), ...clears].sort()
        yield* r.activity.append([
          yield* activityEvent(principal, now, subject.kind === "contact" ? "contact.attributes_changed" : "conversation.attributes_changed", {
            subjectId: subject.id,
            conversationId: subject.kind === "conversation" ? subject.id : null,
            contactId: record.contactId,
            before: Object.fromEntries(changed.map((key) => [key, current.get(key)?.value ?? null])),
            after: Object.fromEntries(changed.map((key) => [key, next.get(key) ?? null])),
          }),
        ])
        return { subject, values, version }
      }),
    )
  }),
)
