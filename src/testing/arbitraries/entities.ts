import fc from "fast-check"
import { ActivityType, type ActivityEvent } from "../../domain/activity/activity-event"
import { CallStatus, type CallAttempt } from "../../domain/call/call-attempt"
import { Channel } from "../../domain/contact/channel"
import { identitiesOf, identityKey } from "../../domain/contact/contact-identity"
import type { Contact } from "../../domain/contact/contact"
import { normalizePhone } from "../../domain/contact/phone"
import { ConversationStatus, type Conversation } from "../../domain/conversation/conversation"
import type { Department } from "../../domain/department/department"
import type { ContactMerge } from "../../domain/merge/contact-merge"
import { mergedContact } from "../../domain/merge/merged-contact"
import type { Note } from "../../domain/note/note"
import { Role, type Principal } from "../../domain/shared/principal"
import type { Keyword } from "../../domain/tagging/keyword"
import type { Label } from "../../domain/tagging/label"
import { normalizeName } from "../../domain/tagging/normalize-name"
import { defaultTenantSettings, type TenantSettings } from "../../domain/tenant/tenant-settings"

/**
 * Identifiers and values shared by the entity arbitraries.
 *
 * @example
 * ```ts
 * import fc from "fast-check"
 * import { arbitraries } from "rmc-details/testing"
 * fc.sample(arbitraries.e164, 3) // e.g. ["+33612345678", ...]
 * ```
 */
export const arbitraries = {
  /** A tenant id (an external id: letters, digits, `._:@-`). */
  tenantId: fc.stringMatching(/^[a-z][a-z0-9-]{2,20}$/),
  /** An agent id. */
  agentId: fc.stringMatching(/^[a-z][a-z0-9._-]{1,20}$/),
  /** A record id: a UUIDv7, as the SDK generates. */
  id: fc.uuid({ version: 7 }),
  /** A timestamp as the SDK stores it: UTC, milliseconds. */
  timestamp: fc.date({ min: new Date("2020-01-01T00:00:00.000Z"), max: new Date("2030-12-31T23:59:59.999Z"), noInvalidDate: true }).map((d) => d.toISOString()),
  /** A phone number in E.164 that libphonenumber accepts (French, Belgian, British, US, German). */
  e164: fc
    .tuple(fc.constantFrom("+336", "+337", "+324", "+447", "+1201", "+1415", "+4915"), fc.stringMatching(/^\d{8}$/))
    .map(([prefix, digits]) => normalizePhone(`${prefix}${digits}`.slice(0, prefix.startsWith("+1") ? 12 : 13), "FR"))
    .filter((p): p is string => p !== undefined),
  /** A catalog name: letters, digits, spaces and accents. */
  catalogName: fc
    .array(fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzéèàçôABCDEFGHIJ0123456789 "), { minLength: 1, maxLength: 30 })
    .map((chars) => chars.join("").trim().replace(/\s+/g, " "))
    .filter((name) => /[\p{L}\p{N}]/u.test(name)),
  channel: fc.constantFrom(...Channel.options),
  conversationStatus: fc.constantFrom(...ConversationStatus.options),
  callStatus: fc.constantFrom(...CallStatus.options),
  role: fc.constantFrom(...Role.options),
  color: fc.stringMatching(/^#[0-9a-f]{6}$/),
  noteBody: fc
    .string({ minLength: 1, maxLength: 300 })
    .map((s) => s.trim())
    .filter((s) => s.length > 0),
}

/**
 * The same name written differently: other case, accents added or removed, extra spaces. Catalogs
 * treat all of them as the same name.
 *
 * @example
 * ```ts
 * import fc from "fast-check"
 * import { nameVariant } from "rmc-details/testing"
 * fc.sample(nameVariant("Prospect chaud"), 2) // e.g. ["PROSPECT  chaud", "prospect chaud"]
 * ```
 */
export const nameVariant = (name: string): fc.Arbitrary<string> =>
  fc
    .tuple(fc.constantFrom("upper", "lower", "same"), fc.boolean(), fc.boolean())
    .map(([kase, accents, spaces]) => {
      let variant = kase === "upper" ? name.toUpperCase() : kase === "lower" ? name.toLowerCase() : name
      if (accents) variant = variant.normalize("NFKD").replace(/\p{M}/gu, "")
      if (spaces) variant = ` ${variant.replace(/ /g, "  ")} `
      return variant
    })
    .filter((variant) => normalizeName(variant) === normalizeName(name))

/**
 * A principal of the tenant, with any role unless one is given.
 *
 * @example
 * ```ts
 * import fc from "fast-check"
 * import { principal } from "rmc-details/testing"
 * fc.sample(principal("acme", "agent"), 1)
 * ```
 */
export const principal = (tenantId: string, role?: Principal["role"]): fc.Arbitrary<Principal> =>
  fc.record({ tenantId: fc.constant(tenantId), agentId: arbitraries.agentId, role: role === undefined ? arbitraries.role : fc.constant(role) })

/**
 * Tenant settings that are valid: the default ones with random policies and region.
 *
 * @example
 * ```ts
 * import fc from "fast-check"
 * import { tenantSettings } from "rmc-details/testing"
 * fc.sample(tenantSettings("acme"), 1)
 * ```
 */
export const tenantSettings = (tenantId: string): fc.Arbitrary<TenantSettings> =>
  fc
    .record({
      region: fc.constantFrom("FR", "BE", "US", "GB", "DE"),
      noteBeforeTransfer: fc.boolean(),
      noteBeforeDepartmentChange: fc.boolean(),
      notes: fc.constantFrom("all_agents", "department", "author_and_supervisors"),
      history: fc.constantFrom("all_agents", "department"),
      version: fc.integer({ min: 1, max: 50 }),
    })
    .map(({ region, noteBeforeTransfer, noteBeforeDepartmentChange, notes, history, version }) => ({
      ...defaultTenantSettings(tenantId),
      defaultRegion: region,
      policies: { noteBeforeTransfer, noteBeforeDepartmentChange },
      visibility: { notes, history },
      version,
    }))

/**
 * A stored contact of the tenant (version 1).
 *
 * @example
 * ```ts
 * import fc from "fast-check"
 * import { contact } from "rmc-details/testing"
 * fc.sample(contact("acme"), 1)
 * ```
 */
export const contact = (tenantId: string): fc.Arbitrary<Contact> =>
  fc
    .record({
      id: arbitraries.id,
      fullName: fc.string({ minLength: 1, maxLength: 60 }).map((s) => s.trim() || "Camille"),
      type: fc.constantFrom("User", "Lead", "Prospect", "Client"),
      primaryPhone: fc.option(arbitraries.e164, { nil: null }),
      phones: fc.uniqueArray(arbitraries.e164, { maxLength: 3 }),
      email: fc.option(fc.stringMatching(/^[a-z0-9_+-]{1,20}@[a-z0-9]{1,15}\.[a-z]{2,6}$/), { nil: null }),
      channelIdentities: fc.array(fc.record({ channel: arbitraries.channel, handle: fc.stringMatching(/^[a-z0-9@.+]{1,30}$/) }), { maxLength: 3 }),
      createdAt: arbitraries.timestamp,
    })
    .map((c) => {
      // A tenant's contacts never share an identity (see `identitiesOf`): each sampled contact's
      // phones, address and handles carry digits and a tag drawn from its own id.
      const tag = c.id.replaceAll("-", "").slice(-12)
      const own = (phone: string, i: number) =>
        normalizePhone(`${phone.slice(0, -8)}${String((Number.parseInt(tag, 16) + i * 7_919) % 100_000_000).padStart(8, "0")}`, "FR") ?? null
      const primaryPhone = c.primaryPhone === null ? null : own(c.primaryPhone, 0)
      const phones = [...new Set(c.phones.map((phone, i) => own(phone, i + 1)))].filter((p): p is string => p !== null && p !== primaryPhone)
      return {
        ...c,
        tenantId,
        primaryPhone,
        phones,
        email: c.email === null ? null : c.email.replace("@", `.${tag}@`),
        channelIdentities: c.channelIdentities.map((identity) => ({ ...identity, handle: `${identity.handle}.${tag}` })),
        lastActivityAt: c.createdAt,
        erasedAt: null,
        mergedInto: null,
        mergedAt: null,
        version: 1,
      }
    })

/**
 * A stored conversation of the tenant with the contact (version 1).
 *
 * @example
 * ```ts
 * import fc from "fast-check"
 * import { conversation } from "rmc-details/testing"
 * fc.sample(conversation("acme", "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11"), 1)
 * ```
 */
export const conversation = (tenantId: string, contactId: string, departmentId: string | null = null): fc.Arbitrary<Conversation> =>
  fc
    .record({
      id: arbitraries.id,
      channel: arbitraries.channel,
      status: arbitraries.conversationStatus,
      assigneeId: fc.option(arbitraries.agentId, { nil: null }),
      createdAt: arbitraries.timestamp,
      activityDelay: fc.integer({ min: 0, max: 30 * 86_400_000 }),
    })
    .map(({ activityDelay, ...c }) => ({
      ...c,
      tenantId,
      contactId,
      departmentId,
      lastActivityAt: new Date(Date.parse(c.createdAt) + activityDelay).toISOString(),
      assignedAt: c.assigneeId === null ? null : c.createdAt,
      version: 1,
    }))

const catalogRecord = (tenantId: string) =>
  fc.record({ id: arbitraries.id, name: arbitraries.catalogName, createdAt: arbitraries.timestamp }).map((r) => ({
    ...r,
    tenantId,
    normalizedName: normalizeName(r.name),
    archivedAt: null,
  }))

/**
 * A live department of the tenant.
 *
 * @example
 * ```ts
 * import fc from "fast-check"
 * import { department } from "rmc-details/testing"
 * fc.sample(department("acme"), 1)
 * ```
 */
export const department = (tenantId: string): fc.Arbitrary<Department> => catalogRecord(tenantId)

/**
 * A live keyword of the tenant's catalog.
 *
 * @example
 * ```ts
 * import fc from "fast-check"
 * import { keyword } from "rmc-details/testing"
 * fc.sample(keyword("acme"), 1)
 * ```
 */
export const keyword = (tenantId: string): fc.Arbitrary<Keyword> => catalogRecord(tenantId).map((k) => ({ ...k, mergedIntoId: null }))

/**
 * A live label of the tenant.
 *
 * @example
 * ```ts
 * import fc from "fast-check"
 * import { label } from "rmc-details/testing"
 * fc.sample(label("acme"), 1)
 * ```
 */
export const label = (tenantId: string): fc.Arbitrary<Label> =>
  fc
    .tuple(catalogRecord(tenantId), arbitraries.color, fc.option(fc.string({ maxLength: 100 }), { nil: null }), arbitraries.agentId)
    .map(([r, color, description, createdBy]) => ({ ...r, color, description, createdBy }))

/**
 * A live note of the tenant on a contact or on one of its conversations (version 1).
 *
 * @example
 * ```ts
 * import fc from "fast-check"
 * import { note } from "rmc-details/testing"
 * fc.sample(note("acme", { kind: "contact", id: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11" }, "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11"), 1)
 * ```
 */
export const note = (tenantId: string, subject: Note["subject"], contactId: string): fc.Arbitrary<Note> =>
  fc.record({ id: arbitraries.id, body: arbitraries.noteBody, authorId: arbitraries.agentId, createdAt: arbitraries.timestamp }).map((n) => ({
    ...n,
    tenantId,
    subject,
    contactId,
    editedAt: null,
    deletedAt: null,
    deletedBy: null,
    revisions: [],
    version: 1,
  }))

/**
 * A call attempt of the tenant on a conversation.
 *
 * @example
 * ```ts
 * import fc from "fast-check"
 * import { callAttempt } from "rmc-details/testing"
 * fc.sample(callAttempt("acme", "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11", "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c12"), 1)
 * ```
 */
export const callAttempt = (tenantId: string, conversationId: string, contactId: string): fc.Arbitrary<CallAttempt> =>
  fc
    .record({
      id: arbitraries.id,
      to: arbitraries.e164,
      idempotencyKey: fc.stringMatching(/^[A-Za-z0-9-]{8,40}$/),
      requestedBy: arbitraries.agentId,
      status: arbitraries.callStatus,
      providerCallId: fc.option(fc.stringMatching(/^[a-z0-9-]{6,30}$/), { nil: null }),
      createdAt: arbitraries.timestamp,
    })
    .map((c) => ({ ...c, tenantId, conversationId, contactId, failureReason: null, updatedAt: c.createdAt }))

/**
 * An activity event of the tenant about a conversation of a contact.
 *
 * @example
 * ```ts
 * import fc from "fast-check"
 * import { activityEvent } from "rmc-details/testing"
 * fc.sample(activityEvent("acme", "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11", "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c12"), 1)
 * ```
 */
export const activityEvent = (tenantId: string, conversationId: string | null, contactId: string | null): fc.Arbitrary<ActivityEvent> =>
  fc
    .record({
      id: arbitraries.id,
      type: fc.constantFrom(...ActivityType.options),
      at: arbitraries.timestamp,
      actorId: arbitraries.agentId,
      actorRole: arbitraries.role,
      before: fc.option(
        fc.dictionary(fc.stringMatching(/^[a-z]{1,8}$/), fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.constant(null)), { maxKeys: 3 }),
        { nil: null },
      ),
      after: fc.option(
        fc.dictionary(fc.stringMatching(/^[a-z]{1,8}$/), fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.constant(null)), { maxKeys: 3 }),
        { nil: null },
      ),
    })
    .map((e) => ({ ...e, tenantId, subjectId: conversationId ?? contactId ?? e.id, conversationId, contactId }))

/**
 * The record of a merge of two contacts of the tenant, as `mergeContacts` writes it: random
 * contacts, choices and moved record ids; undone or not.
 *
 * @example
 * ```ts
 * import fc from "fast-check"
 * import { contactMerge } from "rmc-details/testing"
 * fc.sample(contactMerge("acme"), 1)
 * ```
 */
export const contactMerge = (tenantId: string): fc.Arbitrary<ContactMerge> =>
  fc
    .record({
      id: arbitraries.id,
      primary: contact(tenantId),
      secondary: contact(tenantId),
      primaryAttributes: fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9_]{0,9}$/), fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.boolean()), {
        maxKeys: 3,
      }),
      secondaryAttributes: fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9_]{0,9}$/), fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.boolean()), {
        maxKeys: 3,
      }),
      choose: fc.dictionary(fc.constantFrom("fullName", "type", "email", "primaryPhone"), fc.constantFrom("primary" as const, "secondary" as const)),
      mergedAt: arbitraries.timestamp,
      mergedBy: arbitraries.agentId,
      moved: fc.record({
        conversations: fc.uniqueArray(arbitraries.id, { maxLength: 5 }),
        notes: fc.uniqueArray(arbitraries.id, { maxLength: 5 }),
        calls: fc.uniqueArray(arbitraries.id, { maxLength: 3 }),
        activity: fc.uniqueArray(arbitraries.id, { maxLength: 8 }),
      }),
      unmerged: fc.option(fc.tuple(arbitraries.timestamp, arbitraries.agentId), { nil: null }),
    })
    .filter((m) => m.primary.id !== m.secondary.id)
    .map((m): ContactMerge => {
      const after = mergedContact(
        { contact: m.primary, attributes: m.primaryAttributes },
        { contact: m.secondary, attributes: m.secondaryAttributes },
        m.choose,
      )
      const held = new Set(identitiesOf(m.primary).map(identityKey))
      return {
        id: m.id,
        tenantId,
        primaryId: m.primary.id,
        secondaryId: m.secondary.id,
        mergedAt: m.mergedAt,
        mergedBy: m.mergedBy,
        primaryBefore: m.primary,
        primaryAfter: after.contact,
        secondaryBefore: m.secondary,
        primaryAttributesBefore: m.primaryAttributes,
        primaryAttributesAfter: after.attributes,
        movedIdentities: identitiesOf(m.secondary).filter((identity) => !held.has(identityKey(identity))),
        moved: m.moved,
        unmergedAt: m.unmerged?.[0] ?? null,
        unmergedBy: m.unmerged?.[1] ?? null,
      }
    })
