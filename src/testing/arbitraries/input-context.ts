import type { OperationInput, RmcApi } from "../../use-cases/catalog"
import type { TenantSettings } from "../../domain/tenant/tenant-settings"
import type { AttributeTarget, AttributeType } from "../../domain/attribute/attribute-definition"

/**
 * What {@link validInput} knows of the tenant it writes inputs for: its settings (region, contact
 * types, transitions, policies) and records that exist. An input names only records given here;
 * where the context gives none, the id is a random one and the operation answers `NotFoundError`.
 * {@link seedInputContext} creates one record of each kind and returns the matching context.
 *
 * @example
 * ```ts
 * import type { InputContext } from "rmc-details/testing"
 * const context: InputContext = {
 *   contact: { id: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11", type: "Lead", phones: ["+33612345678"], version: 1 },
 * }
 * ```
 */
export interface InputContext {
  /** The tenant's settings; those of a tenant never configured (`defaultTenantSettings`) when absent. */
  readonly settings?: Pick<TenantSettings, "defaultRegion" | "contactTypes" | "transitions" | "policies" | "routing" | "version"> | undefined
  /** A contact of the tenant, with its type and its phone numbers in E.164. */
  readonly contact?: { readonly id: string; readonly type: string; readonly phones: ReadonlyArray<string>; readonly version: number } | undefined
  /** Another contact of the tenant, with no identity: what `mergeContacts` merges into `contact`. */
  readonly duplicate?: { readonly id: string; readonly version: number } | undefined
  /** A merge of two other contacts of the tenant, within its unmerge window. */
  readonly merge?: { readonly id: string } | undefined
  /** A conversation of the tenant. */
  readonly conversation?: { readonly id: string; readonly version: number } | undefined
  /** Live departments of the tenant: their names are taken. */
  readonly departments?: ReadonlyArray<CatalogEntry> | undefined
  /** Live keywords of the tenant (two distinct ones for `mergeKeywords`): their names are taken. */
  readonly keywords?: ReadonlyArray<CatalogEntry> | undefined
  /** Live labels of the tenant: their names are taken. */
  readonly labels?: ReadonlyArray<CatalogEntry> | undefined
  /** A live note of the tenant. */
  readonly note?: { readonly id: string; readonly version: number } | undefined
  /** A call attempt of the tenant, with its telephony id once known. */
  readonly call?: { readonly id: string; readonly providerCallId: string | null } | undefined
  /** An active agent of the tenant's directory, with its departments. */
  readonly agent?: { readonly id: string; readonly version: number; readonly departmentIds: ReadonlyArray<string> } | undefined
  /** A webhook subscription of the tenant. */
  readonly webhookSubscription?: { readonly id: string; readonly version: number } | undefined
  /** Live custom attributes of the tenant, none required: their keys are taken. */
  readonly attributes?: ReadonlyArray<AttributeEntry> | undefined
}

/**
 * A custom attribute of the tenant as {@link validInput} needs it: what its values may be, and its
 * version for an update.
 *
 * @example
 * ```ts
 * import type { AttributeEntry } from "rmc-details/testing"
 * const tier: AttributeEntry = { id: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11", key: "tier", type: "enum", target: "contact", options: ["Gold"], version: 1 }
 * ```
 */
export interface AttributeEntry {
  readonly id: string
  readonly key: string
  readonly type: AttributeType
  readonly target: AttributeTarget
  readonly options: ReadonlyArray<string>
  readonly version: number
}

/**
 * A record of a catalog (department, keyword or label) as {@link InputContext} lists it.
 *
 * @example
 * ```ts
 * import type { CatalogEntry } from "rmc-details/testing"
 * const support: CatalogEntry = { id: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11", name: "Support" }
 * ```
 */
export interface CatalogEntry {
  readonly id: string
  readonly name: string
}

/**
 * Options of {@link seedInputContext}.
 *
 * @example
 * ```ts
 * import type { SeedOptions } from "rmc-details/testing"
 * const options: SeedOptions = { settings: { defaultRegion: "BE", policies: { noteBeforeTransfer: true } } }
 * ```
 */
export interface SeedOptions {
  /** Applied with `configureTenant` before anything is created (e.g. a value of `validInput("configureTenant")`). */
  readonly settings?: OperationInput<"configureTenant"> | undefined
}

/**
 * Creates, through `api` (the Promise API of an admin of a tenant, in-process or over HTTP), one
 * record of each kind: a contact with a phone number, a second contact without identities (to
 * merge into it), a merge of two more contacts (to undo), a department, two keywords, a label, a
 * conversation on the `voice` channel in that department, a note on it, a call to the contact, a
 * webhook subscription, an agent of the directory in that department and a custom attribute of
 * each type (contacts and conversations alternately);
 * then answers the {@link InputContext} that names them, for {@link validInput}. The contact's type
 * is one the tenant can transform into another, when there is one.
 *
 * @example
 * ```ts
 * import fc from "fast-check"
 * import { createRmc, memoryStorage, memoryTelephony } from "rmc-details"
 * import { seedInputContext, validInput } from "rmc-details/testing"
 * const rmc = createRmc({ storage: memoryStorage(), telephony: memoryTelephony() })
 * const api = rmc.as({ tenantId: "acme", agentId: "root", role: "admin" })
 * const context = await seedInputContext(api)
 * const [input] = fc.sample(validInput("addNote", context), 1)
 * await api.addNote(input!)
 * ```
 */
export const seedInputContext = async (api: RmcApi, options: SeedOptions = {}): Promise<InputContext> => {
  const settings = options.settings === undefined ? await api.getSettings({}) : await api.configureTenant(options.settings)
  const transformable = settings.transitions.find((t) => settings.contactTypes.includes(t.from) && settings.contactTypes.includes(t.to))
  const contact = await api.createContact({
    fullName: "Camille Seed",
    type: transformable?.from ?? settings.contactTypes[0]!,
    // E.164 reads the same whatever the tenant's region.
    primaryPhone: "+33612345678",
  })
  // Of the seed contact's type: a catalog change that removes it names one replacement for them all.
  const duplicate = await api.createContact({ fullName: "Camille Seed Duplicate", type: contact.type })
  const merged = await api.mergeContacts({
    primaryId: (await api.createContact({ fullName: "Seed merge primary", type: contact.type })).id,
    secondaryId: (await api.createContact({ fullName: "Seed merge secondary", type: contact.type })).id,
  })
  const department = await api.createDepartment({ name: "Seed department" })
  const keywords = [await api.createKeyword({ name: "Seed keyword one" }), await api.createKeyword({ name: "Seed keyword two" })]
  const label = await api.createLabel({ name: "Seed label", color: "#336699" })
  const conversation = await api.openConversation({ contactId: contact.id, channel: "voice", departmentId: department.id })
  const note = await api.addNote({ subject: { kind: "conversation", id: conversation.id }, body: "Seed note" })
  const call = await api.callContact({ conversationId: conversation.id, idempotencyKey: "seed-call" })
  const webhookSubscription = await api.createWebhookSubscription({ url: "https://hooks.example.com/seed" })
  const types = ["text", "number", "boolean", "date", "enum", "url", "email", "phone"] as const
  const attributes = []
  for (const [i, type] of types.entries()) {
    const target = i % 2 === 0 ? "contact" : "conversation"
    const options = type === "enum" ? ["Gold", "Silver"] : undefined
    const defined = await api.defineAttribute({ key: `seed_${type}`, label: `Seed ${type}`, type, target, ...(options && { options }) })
    attributes.push({ id: defined.id, key: defined.key, type, target, options: defined.options, version: defined.version } as const)
  }
  const agent = await api.createAgent({ agentId: "seed-agent", displayName: "Seed agent", departmentIds: [department.id] })
  // Read again: the conversation, the note and the call moved the versions of what they touch.
  const [contactNow, conversationNow] = [await api.getContact({ contactId: contact.id }), await api.getConversation({ conversationId: conversation.id })]
  const entry = (record: CatalogEntry): CatalogEntry => ({ id: record.id, name: record.name })
  return {
    settings,
    contact: {
      id: contactNow.id,
      type: contactNow.type,
      phones: [contactNow.primaryPhone, ...contactNow.phones].filter((p): p is string => p !== null),
      version: contactNow.version,
    },
    duplicate: { id: duplicate.id, version: duplicate.version },
    merge: { id: merged.mergeId },
    conversation: { id: conversationNow.id, version: conversationNow.version },
    departments: [entry(department)],
    keywords: keywords.map(entry),
    labels: [entry(label)],
    note: { id: note.id, version: note.version },
    call: { id: call.id, providerCallId: call.providerCallId },
    webhookSubscription: { id: webhookSubscription.id, version: webhookSubscription.version },
    attributes,
    agent: { id: agent.id, version: agent.version, departmentIds: agent.departmentIds },
  }
}
