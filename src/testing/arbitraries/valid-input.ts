import fc from "fast-check"
import { AgentId } from "../../domain/agent/agent"
import { AttributeKey, AttributeType } from "../../domain/attribute/attribute-definition"
import { Channel, ChannelIdentity, namesSomeone } from "../../domain/contact/channel"
import { normalizePhone } from "../../domain/contact/phone"
import { ConversationFilter } from "../../domain/search/conversation-filter"
import { ReportDimension } from "../../domain/search/volume-report"
import { EntityId, ExternalId } from "../../domain/shared/ids"
import { CatalogName } from "../../domain/tagging/catalog-name"
import { normalizeName } from "../../domain/tagging/normalize-name"
import { ContactTypeName, defaultTenantSettings } from "../../domain/tenant/tenant-settings"
import { webhookUrlProblem } from "../../domain/webhooks/webhook-url-problem"
import { type OperationInput, type OperationName, operations } from "../../use-cases/catalog"
import { arbitraryFromSchema } from "./from-schema"
import { attributeValue } from "./attribute-value"
import type { AttributeEntry, CatalogEntry, InputContext } from "./input-context"
import { phoneNumber, phoneRegions } from "./phone-number"

// The arbitrary under `spread` yields several fields at once, drawn together (a pair of distinct ids).
const spread = "..."
type Fields = Readonly<Record<string, fc.Arbitrary<unknown>>>

// Marks a field left out of the input (fc.record cannot express "sometimes absent" per field).
const absent = Symbol("absent")
const maybe = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | typeof absent> => fc.option(arbitrary, { nil: absent })
const id = arbitraryFromSchema(EntityId)
const agentId = arbitraryFromSchema(ExternalId)
const directoryId = arbitraryFromSchema(AgentId)
const idOf = (record: { readonly id: string } | undefined): fc.Arbitrary<string> => (record === undefined ? id : fc.constant(record.id))
const idAmong = (records: ReadonlyArray<CatalogEntry> | undefined): fc.Arbitrary<string> =>
  records === undefined || records.length === 0 ? id : fc.constantFrom(...records.map((r) => r.id))
const versionOf = (record: { readonly version: number } | undefined): fc.Arbitrary<number | typeof absent> =>
  record === undefined ? fc.constant(absent) : maybe(fc.constant(record.version))

const withoutAbsent = (fields: Record<string, unknown>) => Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== absent))

// A catalog name the tenant has not used yet: catalogs compare names once normalised.
const freeName = (taken: ReadonlyArray<CatalogEntry> | undefined): fc.Arbitrary<string> => {
  const names = new Set((taken ?? []).map((entry) => normalizeName(entry.name)))
  return arbitraryFromSchema(CatalogName).filter((name) => !names.has(normalizeName(name)))
}

// An attribute key the tenant has not used yet.
const freeKey = (taken: ReadonlyArray<AttributeEntry> | undefined): fc.Arbitrary<string> => {
  const keys = new Set((taken ?? []).map((entry) => entry.key))
  return arbitraryFromSchema(AttributeKey).filter((key) => !keys.has(key))
}

// A search criterion on one of the tenant's attributes, with values its type holds.
const attributeCondition = (attribute: AttributeEntry, region: string) => {
  const value = attributeValue(attribute, region)
  const ops: Array<fc.Arbitrary<Record<string, unknown>>> = [
    value.map((equals) => ({ equals })),
    fc.array(value, { minLength: 1, maxLength: 3 }).map((values) => ({ in: values })),
    fc.boolean().map((exists) => ({ exists })),
  ]
  if (attribute.type === "number" || attribute.type === "date") {
    ops.push(
      fc
        .record({ min: maybe(value), max: maybe(value) })
        .filter((bounds) => bounds.min !== absent || bounds.max !== absent)
        .map((bounds) => Object.fromEntries(Object.entries(bounds).filter(([, v]) => v !== absent))),
    )
  }
  return fc.oneof(...ops).map((condition) => ({ key: attribute.key, ...condition }))
}

// Transitions between the given types only: configureTenant refuses a transition naming another.
const transitionsAmong = (types: ReadonlyArray<string>): fc.Arbitrary<Array<{ from: string; to: string }>> =>
  fc.array(fc.record({ from: fc.constantFrom(...types), to: fc.constantFrom(...types) }), { maxLength: 6 })

// An endpoint URL the SDK accepts: https, no credentials, within the input's length.
const webhookUrl = fc.webUrl({ validSchemes: ["https"], withQueryParameters: true }).filter((url) => url.length <= 2048 && webhookUrlProblem(url) === undefined)

const phoneChannels: ReadonlySet<string> = new Set(["whatsapp", "sms", "voice"])

// Hours that never close: rules that a valid transfer or department change always passes.
const alwaysOpen = {
  timeZone: "Europe/Paris",
  weekly: [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, opens: "00:00", closes: "24:00" })),
  closures: [],
}

// Routing rules among the tenant's departments that let every valid move through: transfers to
// any of them, open at all hours, the first one as fallback.
const routingAmong = (departments: ReadonlyArray<CatalogEntry>) =>
  fc.record({ knownAgentsOnly: fc.boolean(), rules: fc.boolean(), restricted: fc.boolean(), hours: fc.boolean() }).map((r) => ({
    knownAgentsOnly: r.knownAgentsOnly,
    ...(r.rules &&
      departments.length > 0 && {
        departments: Object.fromEntries(
          departments.map((d) => [
            d.id,
            {
              transferTargets: r.restricted ? departments.map((other) => other.id) : null,
              businessHours: r.hours ? alwaysOpen : null,
              fallbackDepartmentId: departments[0]!.id,
            },
          ]),
        ),
      }),
  }))

/**
 * A channel identity written as the channel expects it: a phone number that the tenant's region
 * reads for WhatsApp, SMS and voice, an e-mail address for e-mail, a handle (any text) elsewhere,
 * with a character after the "@" of a username.
 *
 * @example
 * ```ts
 * import fc from "fast-check"
 * import { channelIdentity } from "rmc-details/testing"
 * fc.sample(channelIdentity("FR"), 2) // e.g. [{ channel: "sms", handle: "06 12 34 56 78" }, ...]
 * ```
 */
export const channelIdentity = (defaultRegion = "FR"): fc.Arbitrary<{ channel: Channel; handle: string }> =>
  fc
    .constantFrom(...Channel.options)
    .chain((channel) =>
      (phoneChannels.has(channel)
        ? phoneNumber({ defaultRegion })
        : channel === "email"
          ? fc.emailAddress({ size: "small" }).filter((e) => e.length <= 320)
          : arbitraryFromSchema(ChannelIdentity.shape.handle).filter((handle) => namesSomeone(channel, handle))
      ).map((handle) => ({ channel, handle })),
    )

// The fields of an operation that depend on the tenant (settings, records); the others come from
// the operation's schema.
const contextual = (name: OperationName, context: InputContext): Fields => {
  const settings = context.settings ?? defaultTenantSettings("tenant")
  const phone = phoneNumber({ defaultRegion: settings.defaultRegion })
  // Identities are unique per tenant: a new contact's numbers are none of the known contact's.
  const taken = new Set(context.contact?.phones ?? [])
  const free = (raw: string) => !taken.has(normalizePhone(raw, settings.defaultRegion) ?? "")
  const freePhone = phone.filter(free)
  const contactFields = {
    primaryPhone: maybe(freePhone),
    phones: maybe(fc.array(freePhone, { maxLength: 3 })),
    channelIdentities: maybe(
      fc.array(
        channelIdentity(settings.defaultRegion).filter((identity) => !phoneChannels.has(identity.channel) || free(identity.handle)),
        { maxLength: 3 },
      ),
    ),
  }
  const contactId = idOf(context.contact)
  const conversationId = idOf(context.conversation)
  const departmentId = idAmong(context.departments)
  const keywordId = idAmong(context.keywords)
  const labelId = idAmong(context.labels)
  const subject = fc.oneof(
    contactId.map((id) => ({ kind: "contact" as const, id })),
    conversationId.map((id) => ({ kind: "conversation" as const, id })),
  )
  const noCursor = { cursor: fc.constant(absent) }
  const attributes = context.attributes ?? []
  const attributeId = idAmong(attributes.map((a) => ({ id: a.id, name: a.key })))
  switch (name) {
    case "configureTenant":
      return {
        defaultRegion: maybe(fc.constantFrom(...phoneRegions)),
        // Transitions name only types the tenant will have once configured.
        contactTypes: fc.constant(absent),
        transitions: fc.constant(absent),
        replaceContactTypes: fc.constant(absent),
        [spread]: fc.oneof(
          fc.constant({}),
          transitionsAmong(settings.contactTypes).map((transitions) => ({ transitions })),
          fc
            .uniqueArray(arbitraryFromSchema(ContactTypeName), { minLength: 1, maxLength: 6 })
            .chain((contactTypes) => transitionsAmong(contactTypes).map((transitions) => ({ contactTypes, transitions })))
            .chain((change) => {
              // The known contact's type leaves the catalog: its contacts need a type of the new one.
              const kept = context.contact === undefined || change.contactTypes.includes(context.contact.type)
              return kept
                ? fc.constant(change)
                : fc.constantFrom(...change.contactTypes).map((to) => ({ ...change, replaceContactTypes: { [context.contact!.type]: to } }))
            }),
        ),
        routing: maybe(routingAmong(context.departments ?? [])),
        expectedVersion: context.settings === undefined ? fc.constant(absent) : maybe(fc.constant(context.settings.version)),
      }
    case "createContact":
      return { ...contactFields, type: maybe(fc.constantFrom(...settings.contactTypes)) }
    case "updateContact":
      return { ...contactFields, contactId, primaryPhone: maybe(fc.option(phone, { nil: null })), expectedVersion: versionOf(context.contact) }
    case "transformContact": {
      const from = context.contact?.type
      const targets = settings.transitions.filter((t) => t.from === from && settings.contactTypes.includes(t.to)).map((t) => t.to)
      return {
        contactId,
        to: targets.length === 0 ? arbitraryFromSchema(ContactTypeName) : fc.constantFrom(...targets),
        expectedVersion: versionOf(context.contact),
      }
    }
    case "getContact":
      return { contactId }
    case "findContacts": {
      // Exactly one criterion; an identity lookup takes no cursor.
      const none = {
        phone: fc.constant(absent),
        email: fc.constant(absent),
        channel: fc.constant(absent),
        handle: fc.constant(absent),
        namePrefix: fc.constant(absent),
      }
      return {
        ...none,
        ...noCursor,
        [spread]: fc.oneof(
          phone.map((value) => ({ phone: value })),
          arbitraryFromSchema(operations.findContacts.input.shape.email.unwrap()).map((email) => ({ email })),
          channelIdentity(settings.defaultRegion),
          arbitraryFromSchema(operations.findContacts.input.shape.namePrefix.unwrap()).map((namePrefix) => ({ namePrefix })),
        ),
      }
    }
    case "resolveContact":
      return {
        channel: fc.constant(absent),
        handle: fc.constant(absent),
        type: maybe(fc.constantFrom(...settings.contactTypes)),
        [spread]: channelIdentity(settings.defaultRegion),
      }
    case "listContactConversations":
    case "contactActivity":
      return { contactId, ...noCursor }
    case "eraseContact":
      return { contactId, expectedVersion: versionOf(context.contact) }
    case "exportContact":
      return { contactId, ...noCursor }
    case "previewMerge":
      return { primaryId: contactId, secondaryId: idOf(context.duplicate) }
    case "mergeContacts": {
      const fields = ["fullName", "type", "email", "primaryPhone", ...(context.attributes ?? []).map((a) => `attributes.${a.key}`)]
      return {
        primaryId: contactId,
        secondaryId: idOf(context.duplicate),
        choose: maybe(fc.dictionary(fc.constantFrom(...fields), fc.constantFrom("primary", "secondary"), { maxKeys: fields.length })),
        expectedVersions: maybe(fc.record({ primary: versionOf(context.contact), secondary: versionOf(context.duplicate) }).map(withoutAbsent)),
      }
    }
    case "unmergeContacts":
      return { mergeId: idOf(context.merge) }
    case "openConversation":
      return { contactId, departmentId: maybe(departmentId) }
    case "getConversation":
    case "getCustomerView":
    case "recordConversationActivity":
    case "getDetails":
      return { conversationId }
    case "listCalls":
    case "conversationActivity":
      return { conversationId, ...noCursor }
    case "setConversationStatus":
      return { conversationId, expectedVersion: versionOf(context.conversation) }
    case "assignDepartment":
      return { conversationId, departmentId: fc.option(departmentId, { nil: null }), expectedVersion: versionOf(context.conversation) }
    case "transferConversation":
      return {
        conversationId,
        // A tenant that checks agents against its directory transfers to its agent, in its departments.
        ...(settings.routing?.knownAgentsOnly === true
          ? {
              toAgentId: maybe(context.agent === undefined ? agentId : fc.constant(context.agent.id)),
              toDepartmentId: maybe(
                context.agent === undefined || context.agent.departmentIds.length === 0 ? departmentId : fc.constantFrom(...context.agent.departmentIds),
              ),
            }
          : { toDepartmentId: maybe(departmentId), toAgentId: maybe(agentId) }),
        // A tenant that asks for a note before a transfer gets one with it.
        ...(settings.policies.noteBeforeTransfer ? { note: arbitraryFromSchema(operations.addNote.input.shape.body) } : {}),
        expectedVersion: versionOf(context.conversation),
      }
    case "searchConversations":
      // Criteria on attributes name the tenant's own, with values of their types.
      return {
        ...noCursor,
        filter: fc
          .tuple(
            arbitraryFromSchema(ConversationFilter.omit({ attributes: true })),
            attributes.length === 0
              ? fc.constant(absent)
              : maybe(
                  fc.array(
                    fc.constantFrom(...attributes).chain((a) => attributeCondition(a, settings.defaultRegion)),
                    { maxLength: 3 },
                  ),
                ),
          )
          .map(([filter, conditions]) => (conditions === absent ? filter : { ...filter, attributes: conditions })),
      }
    case "defineAttribute":
      return {
        key: freeKey(attributes),
        options: fc.constant(absent),
        [spread]: fc.oneof(
          arbitraryFromSchema(AttributeType.exclude(["enum"])).map((type) => ({ type })),
          fc
            .uniqueArray(fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ]{0,19}$/), { minLength: 1, maxLength: 4, selector: (o) => o.trim().toLowerCase() })
            .map((options) => ({ type: "enum", options })),
        ),
      }
    case "updateAttribute": {
      if (attributes.length === 0) return { attributeId }
      return {
        attributeId: fc.constant(absent),
        addOptions: fc.constant(absent),
        expectedVersion: fc.constant(absent),
        [spread]: fc.constantFrom(...attributes).chain((a) =>
          fc.record({
            attributeId: fc.constant(a.id),
            expectedVersion: maybe(fc.constant(a.version)),
            ...(a.type === "enum" ? { addOptions: maybe(fc.array(fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,19}$/), { minLength: 1, maxLength: 3 })) } : {}),
          }),
        ),
      }
    }
    case "archiveAttribute":
    case "getAttribute":
      return { attributeId }
    case "listAttributes":
      return noCursor
    case "getAttributes":
      return { subject }
    case "setAttributes": {
      if (attributes.length === 0) return { subject }
      const record = (target: AttributeEntry["target"]) => (target === "contact" ? context.contact : context.conversation)
      return {
        subject: fc.constant(absent),
        values: fc.constant(absent),
        expectedVersion: fc.constant(absent),
        [spread]: fc.constantFrom(...attributes).chain((chosen) => {
          const own = attributes.filter((a) => a.target === chosen.target)
          return fc.record({
            subject: idOf(record(chosen.target)).map((id) => ({ kind: chosen.target, id })),
            values: fc
              .uniqueArray(fc.constantFrom(...own), { minLength: 1, maxLength: own.length, selector: (a) => a.key })
              .chain((picked) =>
                fc.tuple(...picked.map((a) => fc.option(attributeValue(a, settings.defaultRegion), { nil: null }).map((v) => [a.key, v] as const))),
              )
              .map((entries) => Object.fromEntries(entries)),
            expectedVersion: record(chosen.target) === undefined ? fc.constant(absent) : maybe(fc.constant(record(chosen.target)!.version)),
          })
        }),
      }
    }
    case "tenantActivity":
    case "listDepartments":
    case "listKeywords":
    case "listLabels":
      return noCursor
    case "volumeReport": {
      // A period: `from` strictly before `to`; the attribute dimension counts by one of the tenant's enums.
      const enums = attributes.filter((a) => a.type === "enum")
      return {
        dimension: fc.constant(absent),
        attributeKey: fc.constant(absent),
        [spread]: fc
          .tuple(
            fc
              .uniqueArray(fc.integer({ min: Date.parse("2000-01-01T00:00:00Z"), max: Date.parse("2025-12-31T00:00:00Z") }), { minLength: 2, maxLength: 2 })
              .map((ends) => ends.sort((a, b) => a - b).map((t) => new Date(t).toISOString())),
            fc.oneof(
              fc.constantFrom(...ReportDimension.options.filter((d) => d !== "attribute")).map((dimension) => ({ dimension })),
              ...(enums.length === 0 ? [] : [fc.constantFrom(...enums).map((a) => ({ dimension: "attribute", attributeKey: a.key }))]),
            ),
          )
          .map(([[from, to], dimension]) => ({ from, to, ...dimension })),
      }
    }
    case "createDepartment":
      return { name: freeName(context.departments) }
    case "renameDepartment":
      return { departmentId, name: freeName(context.departments) }
    case "archiveDepartment":
      return { departmentId }
    case "addNote":
      return { subject }
    case "listNotes":
      return { subject, ...noCursor }
    case "editNote":
    case "deleteNote":
      return { noteId: idOf(context.note), expectedVersion: versionOf(context.note) }
    case "getNote":
      return { noteId: idOf(context.note) }
    case "createKeyword":
      return { name: freeName(context.keywords) }
    case "renameKeyword":
      return { keywordId, name: freeName(context.keywords) }
    case "archiveKeyword":
      return { keywordId }
    case "mergeKeywords": {
      const ids = (context.keywords ?? []).map((k) => k.id)
      if (ids.length < 2) return {}
      return { [spread]: fc.shuffledSubarray(ids, { minLength: 2, maxLength: 2 }).map(([sourceId, targetId]) => ({ sourceId, targetId })) }
    }
    case "attachKeyword":
    case "detachKeyword":
      return { conversationId, keywordId }
    case "createLabel":
      return { name: freeName(context.labels), applyTo: maybe(conversationId) }
    case "updateLabel":
      return { labelId, name: maybe(freeName(context.labels)) }
    case "archiveLabel":
      return { labelId }
    case "applyLabel":
    case "removeLabel":
      return { conversationId, labelId }
    case "callContact": {
      const phones = context.contact?.phones ?? []
      return { conversationId, to: phones.length === 0 ? maybe(phone) : maybe(fc.constantFrom(...phones)) }
    }
    case "recordCallStatus":
      return context.call === undefined
        ? {}
        : {
            callId: maybe(fc.constant(context.call.id)),
            providerCallId: context.call.providerCallId === null ? fc.constant(absent) : maybe(fc.constant(context.call.providerCallId)),
          }
    case "listAgents":
      return { departmentId: maybe(departmentId), ...noCursor }
    case "getAgent":
      return { agentId: context.agent === undefined ? directoryId : fc.constant(context.agent.id) }
    case "createAgent":
      return {
        agentId: directoryId.filter((id) => id !== context.agent?.id),
        departmentIds: maybe(fc.subarray((context.departments ?? []).map((d) => d.id))),
      }
    case "updateAgent":
      return {
        agentId: context.agent === undefined ? directoryId : fc.constant(context.agent.id),
        departmentIds: maybe(fc.subarray((context.departments ?? []).map((d) => d.id))),
        expectedVersion: versionOf(context.agent),
      }
    case "deactivateAgent":
      return { agentId: context.agent === undefined ? directoryId : fc.constant(context.agent.id), expectedVersion: versionOf(context.agent) }
    case "createWebhookSubscription":
      return { url: webhookUrl }
    case "listWebhookSubscriptions":
      return noCursor
    case "getWebhookSubscription":
    case "deleteWebhookSubscription":
      return { subscriptionId: idOf(context.webhookSubscription) }
    case "updateWebhookSubscription":
      return { subscriptionId: idOf(context.webhookSubscription), url: maybe(webhookUrl), expectedVersion: versionOf(context.webhookSubscription) }
    case "rotateWebhookSecret":
      return { subscriptionId: idOf(context.webhookSubscription), expectedVersion: versionOf(context.webhookSubscription) }
    case "listWebhookDeadLetters":
      return { subscriptionId: idOf(context.webhookSubscription), ...noCursor }
    case "replayWebhookDeadLetters":
      // Dead letters are written by the relay only: the kit replays all of them.
      return { subscriptionId: idOf(context.webhookSubscription), deadLetterId: fc.constant(absent) }
    default:
      return {}
  }
}

/**
 * Inputs of operation `name` that the live API accepts: they pass its schema and the rules that
 * depend on the tenant. Phone numbers are valid numbers (E.164, international or national format),
 * contact types are the tenant's, channel handles have the channel's shape, a new contact's phone
 * numbers are none of the known contact's (identities are unique per tenant), catalog names are free,
 * transitions are allowed, times are in the past, and every id names a record of `context`
 * ({@link seedInputContext} creates them). Without a record in the context, ids are random and the
 * operation answers `NotFoundError`; without settings, those of a tenant never configured are
 * assumed. The caller is an admin (every operation allows it), and each input is meant for the
 * context as it is: after `archiveDepartment`, the department is no longer a record to rename.
 *
 * @example
 * ```ts
 * import fc from "fast-check"
 * import { validInput } from "rmc-details/testing"
 * fc.sample(validInput("createContact"), 2)
 * fc.sample(validInput("addNote", { conversation: { id: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c12", version: 1 } }), 2)
 * ```
 */
export const validInput = <K extends OperationName>(name: K, context: InputContext = {}): fc.Arbitrary<OperationInput<K>> => {
  const schema = operations[name].input
  const { [spread]: together, ...fields } = contextual(name, context)
  return fc
    .tuple(arbitraryFromSchema(schema), fc.record(fields), together ?? fc.constant({}))
    .map(([base, overrides, joint]) => {
      const input: Record<string, unknown> = { ...(base as Record<string, unknown>), ...overrides, ...(joint as Record<string, unknown>) }
      for (const key of Object.keys(input)) if (input[key] === absent) delete input[key]
      return input
    })
    .filter((input) => schema.safeParse(input).success) as fc.Arbitrary<OperationInput<K>>
}
