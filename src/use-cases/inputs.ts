import * as z from "zod"
import { IdempotencyKey } from "../domain/call/call-attempt"
import { Channel, ChannelIdentity } from "../domain/contact/channel"
import { Region } from "../domain/contact/phone"
import { ActivityType } from "../domain/activity/activity-event"
import { AttributeKey, AttributeOption, AttributeSubject, AttributeTarget, AttributeType, AttributeValue } from "../domain/attribute/attribute-definition"
import { ConversationStatus } from "../domain/conversation/conversation"
import { MergeChoices } from "../domain/merge/merge-preview"
import { NoteBody, NoteSubject } from "../domain/note/note"
import { ConversationFilter } from "../domain/search/conversation-filter"
import { VolumeReportRequest } from "../domain/search/volume-report"
import { EntityId, ExternalId, TimestampInput } from "../domain/shared/ids"
import { text } from "../domain/shared/text"
import { CatalogName } from "../domain/tagging/catalog-name"
import { Color } from "../domain/tagging/label"
import { ContactTypeName, ContactTypeTransition, TenantMergeRules, TenantPolicies, TenantRetention, TenantVisibility } from "../domain/tenant/tenant-settings"
import { BusinessHours, OpeningPeriod } from "../domain/department/business-hours"
import { DepartmentRules } from "../domain/department/department-rules"
import { Role } from "../domain/shared/principal"
import { AgentId } from "../domain/agent/agent"
import { atLeastOneOf } from "./support/at-least-one-of"
import { exactlyOneOf } from "./support/exactly-one-of"

// The input schemas of every operation, shared by the Effect API, the Promise API, the HTTP
// adapter and its OpenAPI document. Each accepts what a caller writes (`z.input`) and yields what
// the use case works with (`z.output`). Every string field is a `text(...)` (no control character,
// no lone surrogate) or a stricter format (an id, a timestamp, a colour, a region). Every object,
// nested ones too, is strict: a field the schema does not know is refused, naming it, rather than
// dropped (a misspelt optional field would otherwise be lost without a word).

const expectedVersion = z.number().int().positive().optional()
const idempotencyKey = IdempotencyKey.optional()
const pageFields = {
  limit: z.number().int().min(1).max(100).default(20),
  cursor: text({ max: 512, trim: false }).optional(),
}
// The domain's shapes, strict where a caller writes them (outputs keep accepting fields they do not know).
const strict = <Shape extends z.ZodRawShape>(schema: z.ZodObject<Shape>) => z.strictObject(schema.shape)
const subject = strict(NoteSubject)
// `.strict()` keeps the schema's refinement (a username names someone), which a new object from its shape would lose.
const channelIdentity = ChannelIdentity.strict()
const phoneInput = text({ min: 3, max: 40 })
const fullName = text({ min: 1, max: 200 })
const email = z.email().max(320)

/** Input of `getSettings`. @example `{}` */
export const GetSettingsInput = z.strictObject({})
/** Input of `configureTenant` (admin): only the given fields change. @example `{ defaultRegion: "BE" }` */
export const ConfigureTenantInput = z.strictObject({
  defaultRegion: Region.optional(),
  contactTypes: z.array(ContactTypeName).min(1).max(50).optional(),
  transitions: z.array(strict(ContactTypeTransition)).max(500).optional(),
  // Each policy optional and without its default: a policy left out keeps its current value.
  policies: z
    .strictObject(
      Object.fromEntries(Object.keys(TenantPolicies.shape).map((key) => [key, z.boolean().optional()])) as {
        [K in keyof TenantPolicies]: z.ZodOptional<z.ZodBoolean>
      },
    )
    .optional(),
  // Each rule optional and without its default: a rule left out keeps its current value.
  visibility: z
    .strictObject({ notes: TenantVisibility.shape.notes.unwrap().optional(), history: TenantVisibility.shape.history.unwrap().optional() })
    .optional(),
  // Each period optional and without its default: a period left out keeps its current value; `null` keeps for ever.
  retention: z
    .strictObject({
      notesDays: TenantRetention.shape.notesDays.removeDefault().optional(),
      activityDays: TenantRetention.shape.activityDays.removeDefault().optional(),
    })
    .optional(),
  // Each rule optional and without its default: a rule left out keeps its current value.
  merge: z
    .strictObject({
      minRole: TenantMergeRules.shape.minRole.removeDefault().optional(),
      unmergeWindowDays: TenantMergeRules.shape.unmergeWindowDays.removeDefault().optional(),
    })
    .optional(),
  /**
   * The routing rules: `knownAgentsOnly` (left out: unchanged) and `departments`, the rules of
   * each department by id (when given, they replace every department's rules).
   */
  routing: z
    .strictObject({
      knownAgentsOnly: z.boolean().optional(),
      departments: z
        .record(
          EntityId,
          z.strictObject({
            ...DepartmentRules.shape,
            businessHours: z
              .strictObject({ ...BusinessHours.shape, weekly: z.array(OpeningPeriod.strict()).max(100) })
              .nullable()
              .default(null),
          }),
        )
        .optional(),
    })
    .optional(),
  /**
   * For each contact type that `contactTypes` removes while contacts still have it, the type of the
   * new catalog those contacts get. Without it, such a change fails with `ContactTypeInUseError`.
   */
  replaceContactTypes: z.record(ContactTypeName, ContactTypeName).optional(),
  expectedVersion: z.number().int().nonnegative().optional(),
})

/** Input of `createContact`. @example `{ fullName: "Marie Curie", primaryPhone: "06 12 34 56 78" }` */
export const CreateContactInput = z.strictObject({
  fullName,
  type: ContactTypeName.optional(),
  primaryPhone: phoneInput.optional(),
  phones: z.array(phoneInput).max(10).optional(),
  email: email.optional(),
  channelIdentities: z.array(channelIdentity).max(20).optional(),
  idempotencyKey,
})
/** Input of `updateContact`: only the given fields change; `null` clears a field. @example `{ contactId, email: null }` */
export const UpdateContactInput = z.strictObject({
  contactId: EntityId,
  fullName: fullName.optional(),
  primaryPhone: phoneInput.nullable().optional(),
  phones: z.array(phoneInput).max(10).optional(),
  email: email.nullable().optional(),
  channelIdentities: z.array(channelIdentity).max(20).optional(),
  expectedVersion,
})
/** Input of `getContact`. @example `{ contactId }` */
export const GetContactInput = z.strictObject({ contactId: EntityId })
/** Input of `transformContact`: change the contact type along an allowed transition. @example `{ contactId, to: "Client" }` */
export const TransformContactInput = z.strictObject({
  contactId: EntityId,
  to: ContactTypeName,
  reason: text({ min: 1, max: 500, multiline: true }).optional(),
  expectedVersion,
})
/**
 * Input of `findContacts`: exactly one of `phone` (read with the tenant's region), `email`,
 * `channel` with `handle`, or `namePrefix` (for a picker: names that start with it, ignoring case,
 * accents and spacing). An identity finds one contact at most; a name prefix pages A to Z.
 * @example `{ phone: "06 12 34 56 78" }`
 */
export const FindContactsInput = exactlyOneOf(
  z.strictObject({
    phone: phoneInput.optional().meta({ description: "A phone number, national numbers read with the tenant's region. Alone." }),
    email: email.optional().meta({ description: "An e-mail address, in any case. Alone." }),
    channel: Channel.optional().meta({ description: "The channel of `handle`. With `handle` only." }),
    handle: ChannelIdentity.shape.handle.optional().meta({ description: "A handle on `channel`. With `channel` only." }),
    namePrefix: text({ min: 1, max: 80 })
      .optional()
      .meta({ description: "The start of a contact's name, ignoring case, accents and spacing; pages A to Z. Alone." }),
    ...pageFields,
  }),
  [["phone"], ["email"], ["channel", "handle"], ["namePrefix"]],
  "give exactly one of phone, email, channel with handle, or namePrefix",
)
/**
 * Input of `resolveContact`: the sender of an inbound message. `fullName` (the handle when absent)
 * and `type` (the catalog's first when absent) are used only if the contact is created.
 * @example `{ channel: "whatsapp", handle: "+33612345678", fullName: "Marie Curie" }`
 */
export const ResolveContactInput = z.strictObject({
  channel: Channel,
  handle: ChannelIdentity.shape.handle,
  fullName: fullName.optional(),
  type: ContactTypeName.optional(),
})
/** Input of `listContactConversations` ("User conversations"). @example `{ contactId, limit: 10 }` */
export const ListContactConversationsInput = z.strictObject({ contactId: EntityId, ...pageFields })
/** Input of `tenantActivity`. @example `{ limit: 50 }` */
export const TenantActivityInput = z.strictObject({ ...pageFields })
/** Input of `contactActivity`. @example `{ contactId }` */
export const ContactActivityInput = z.strictObject({ contactId: EntityId, ...pageFields })

/**
 * Input of `eraseContact` (admin): why the contact's personal data is erased (kept in the audit
 * record). @example `{ contactId, reason: "Erasure request of 2026-12-01, ticket 4521" }`
 */
export const EraseContactInput = z.strictObject({
  contactId: EntityId,
  reason: text({ min: 1, max: 500 }),
  expectedVersion,
})
/**
 * Input of `previewMerge`: the contact to keep (`primaryId`) and the one to merge into it
 * (`secondaryId`). @example `{ primaryId, secondaryId }`
 */
export const PreviewMergeInput = z.strictObject({ primaryId: EntityId, secondaryId: EntityId })
/**
 * Input of `mergeContacts`: the contact to keep (`primaryId`), the one merged into it
 * (`secondaryId`), which one's value each conflicting field keeps (`choose`, the primary's by
 * default; see `previewMerge`), and optionally the versions of both contacts the caller read.
 * @example `{ primaryId, secondaryId, choose: { fullName: "secondary" } }`
 */
export const MergeContactsInput = z.strictObject({
  primaryId: EntityId,
  secondaryId: EntityId,
  choose: MergeChoices.optional(),
  expectedVersions: z.strictObject({ primary: z.number().int().positive().optional(), secondary: z.number().int().positive().optional() }).optional(),
})
/** Input of `unmergeContacts`: the merge to undo, as `mergeContacts` answered it. @example `{ mergeId }` */
export const UnmergeContactsInput = z.strictObject({ mergeId: EntityId })
/** Input of `exportContact` (admin): one page of the contact's data, up to 500 records. @example `{ contactId, limit: 200 }` */
export const ExportContactInput = z.strictObject({
  contactId: EntityId,
  limit: z.number().int().min(1).max(500).default(100),
  cursor: text({ max: 512, trim: false }).optional(),
})

/** Input of `openConversation`. @example `{ contactId, channel: "whatsapp" }` */
export const OpenConversationInput = z.strictObject({
  contactId: EntityId,
  channel: Channel,
  departmentId: EntityId.optional(),
  assigneeId: ExternalId.optional(),
  idempotencyKey,
})
/** Input of `getConversation` and `getCustomerView`. @example `{ conversationId }` */
export const GetConversationInput = z.strictObject({ conversationId: EntityId })
/** Input of `setConversationStatus`. @example `{ conversationId, status: "resolved" }` */
export const SetConversationStatusInput = z.strictObject({
  conversationId: EntityId,
  status: ConversationStatus,
  expectedVersion,
})
/** Input of `recordConversationActivity`: a message came in or went out. @example `{ conversationId }` */
export const RecordConversationActivityInput = z.strictObject({
  conversationId: EntityId,
  at: TimestampInput.optional(),
})
/** Input of `assignDepartment`: `null` clears it. @example `{ conversationId, departmentId }` */
export const AssignDepartmentInput = z.strictObject({
  conversationId: EntityId,
  departmentId: EntityId.nullable(),
  expectedVersion,
})
/**
 * Input of `transferConversation`: to another agent and/or department. `note`, when given, is
 * added to the conversation in the same transaction (and satisfies the note-before-transfer policy).
 * @example `{ conversationId, toAgentId: "bob", note: "Customer wants a quote" }`
 */
export const TransferConversationInput = atLeastOneOf(
  z.strictObject({
    conversationId: EntityId,
    toAgentId: ExternalId.optional(),
    toDepartmentId: EntityId.optional(),
    note: NoteBody.optional(),
    expectedVersion,
  }),
  ["toAgentId", "toDepartmentId"],
  "give toAgentId, toDepartmentId or both",
)
/** Input of `conversationActivity`. @example `{ conversationId }` */
export const ConversationActivityInput = z.strictObject({ conversationId: EntityId, ...pageFields })
/**
 * Input of `getDetails`: `historyLimit` is the size of the first page of the contact's
 * conversations, `notesLimit` that of each first page of notes (the contact's, the conversation's).
 * @example `{ conversationId, notesLimit: 5 }`
 */
export const GetDetailsInput = z.strictObject({
  conversationId: EntityId,
  historyLimit: z.number().int().min(1).max(100).default(10),
  notesLimit: z.number().int().min(1).max(100).default(20),
})
/** Input of `searchConversations`, paginated like every list. @example `{ filter: { status: ["open"] }, limit: 50 }` */
export const SearchConversationsInput = z.strictObject({ filter: ConversationFilter.default({}), ...pageFields })
/** Input of `volumeReport`. @example `{ dimension: "department", from, to }` */
export const VolumeReportInput = VolumeReportRequest

/**
 * Input of `listDepartments`, `listKeywords`, `listLabels`: one page of the catalog, A to Z.
 * `query` keeps the records whose name contains it, ignoring case, accents and spacing (as names
 * are compared for uniqueness); archived records only with `includeArchived`.
 * @example `{ query: "sup", limit: 10 }`
 */
export const ListCatalogInput = z.strictObject({
  includeArchived: z.boolean().default(false),
  query: text({ min: 1, max: 80 }).optional(),
  ...pageFields,
})
/** Input of `createDepartment` (supervisor, admin). @example `{ name: "Support" }` */
export const CreateDepartmentInput = z.strictObject({ name: CatalogName, idempotencyKey })
/** Input of `renameDepartment` (supervisor, admin). @example `{ departmentId, name: "HelpDesk" }` */
export const RenameDepartmentInput = z.strictObject({ departmentId: EntityId, name: CatalogName })
/** Input of `archiveDepartment` (supervisor, admin). @example `{ departmentId }` */
export const ArchiveDepartmentInput = z.strictObject({ departmentId: EntityId })

const displayName = text({ min: 1, max: 200 })
const departmentIds = z.array(EntityId).max(100)
/**
 * Input of `createAgent` (admin): `agentId` is the id its principal carries.
 * @example `{ agentId: "bob", displayName: "Bob Martin", departmentIds: [supportId] }`
 */
export const CreateAgentInput = z.strictObject({
  agentId: AgentId,
  displayName,
  role: Role.default("agent"),
  departmentIds: departmentIds.default([]),
})
/**
 * Input of `updateAgent` (admin): only the given fields change; `active: true` reactivates.
 * @example `{ agentId: "bob", departmentIds: [salesId] }`
 */
export const UpdateAgentInput = z.strictObject({
  agentId: AgentId,
  displayName: displayName.optional(),
  role: Role.optional(),
  departmentIds: departmentIds.optional(),
  active: z.boolean().optional(),
  expectedVersion,
})
/** Input of `getAgent`. @example `{ agentId: "bob" }` */
export const AgentIdInput = z.strictObject({ agentId: AgentId })
/** Input of `deactivateAgent` (admin). @example `{ agentId: "bob" }` */
export const DeactivateAgentInput = z.strictObject({ agentId: AgentId, expectedVersion })
/**
 * Input of `listAgents`: one page of the directory by agent id; deactivated agents only with
 * `includeInactive`, and with `departmentId` only that department's members.
 * @example `{ departmentId: supportId, limit: 50 }`
 */
export const ListAgentsInput = z.strictObject({
  includeInactive: z.boolean().default(false),
  departmentId: EntityId.optional(),
  ...pageFields,
})

/** Input of `addNote`. @example `{ subject: { kind: "conversation", id }, body: "Call back at 3pm" }` */
export const AddNoteInput = z.strictObject({ subject, body: NoteBody, idempotencyKey })
/** Input of `editNote` (author, supervisor, admin). @example `{ noteId, body: "Called back" }` */
export const EditNoteInput = z.strictObject({ noteId: EntityId, body: NoteBody, expectedVersion })
/** Input of `deleteNote` (author, supervisor, admin): a soft delete. @example `{ noteId }` */
export const DeleteNoteInput = z.strictObject({ noteId: EntityId, expectedVersion })
/** Input of `getNote`. @example `{ noteId }` */
export const GetNoteInput = z.strictObject({ noteId: EntityId })
/** Input of `listNotes`: one page of the live notes of a contact or a conversation, newest first. @example `{ subject: { kind: "contact", id }, limit: 20 }` */
export const ListNotesInput = z.strictObject({ subject, ...pageFields })

/** Input of `createKeyword` (supervisor, admin). @example `{ name: "Invoice" }` */
export const CreateKeywordInput = z.strictObject({ name: CatalogName, idempotencyKey })
/** Input of `renameKeyword` (supervisor, admin). @example `{ keywordId, name: "Billing" }` */
export const RenameKeywordInput = z.strictObject({ keywordId: EntityId, name: CatalogName })
/** Input of `archiveKeyword` (supervisor, admin). @example `{ keywordId }` */
export const ArchiveKeywordInput = z.strictObject({ keywordId: EntityId })
/** Input of `mergeKeywords` (supervisor, admin): `sourceId` is folded into `targetId`. @example `{ sourceId, targetId }` */
export const MergeKeywordsInput = z
  .strictObject({ sourceId: EntityId, targetId: EntityId })
  .refine((i) => i.sourceId !== i.targetId, { message: "a keyword cannot be merged into itself", path: ["targetId"] })
/** Input of `attachKeyword` and `detachKeyword`. @example `{ conversationId, keywordId }` */
export const ConversationKeywordInput = z.strictObject({ conversationId: EntityId, keywordId: EntityId })

/**
 * Input of `createLabel` (any agent, on the spot). With `applyTo`, the new label is also applied
 * to that conversation, in the same transaction.
 * @example `{ name: "Hot prospect", color: "#e11d48" }`
 */
export const CreateLabelInput = z.strictObject({
  name: CatalogName,
  color: Color,
  description: text({ max: 500, multiline: true }).optional(),
  applyTo: EntityId.optional(),
  idempotencyKey,
})
/** Input of `updateLabel` (supervisor, admin). @example `{ labelId, color: "#16a34a" }` */
export const UpdateLabelInput = z.strictObject({
  labelId: EntityId,
  name: CatalogName.optional(),
  color: Color.optional(),
  description: text({ max: 500, multiline: true }).nullable().optional(),
})
/** Input of `archiveLabel` (supervisor, admin). @example `{ labelId }` */
export const ArchiveLabelInput = z.strictObject({ labelId: EntityId })
/** Input of `applyLabel` and `removeLabel`. @example `{ conversationId, labelId }` */
export const ConversationLabelInput = z.strictObject({ conversationId: EntityId, labelId: EntityId })

/**
 * Input of `callContact`: calls `to` (one of the contact's numbers, written in any form) or the
 * primary phone. The idempotency key is required: a retry never places a second call.
 * @example `{ conversationId, idempotencyKey: "call-1" }`
 */
export const CallContactInput = z.strictObject({
  conversationId: EntityId,
  to: phoneInput.optional(),
  idempotencyKey: IdempotencyKey,
})
/**
 * Input of `recordCallStatus` (supervisor, admin; the telephony webhook receiver): a status report
 * on a call, by the SDK's call id or the telephony system's. Late, duplicate and out-of-order
 * reports are ignored.
 * @example `{ providerCallId: "c-1", status: "answered", at: "2026-01-01T10:00:00Z" }`
 */
export const RecordCallStatusInput = atLeastOneOf(
  z.strictObject({
    callId: EntityId.optional(),
    // Telephony ids over 200 characters are matched through their digest (see maxProviderCallIdLength).
    providerCallId: text({ min: 1, max: 4096, trim: false }).optional(),
    status: z.enum(["ringing", "answered", "completed", "failed", "busy", "no_answer"]),
    at: TimestampInput,
    // Longer reasons are cut to maxFailureReasonLength rather than refused: the report still applies.
    reason: text({ max: 65_536, multiline: true, trim: false }).optional(),
  }),
  ["callId", "providerCallId"],
  "give callId or providerCallId",
)
/** Input of `listCalls`: one page of the conversation's call attempts, newest first. @example `{ conversationId, limit: 10 }` */
export const ListCallsInput = z.strictObject({ conversationId: EntityId, ...pageFields })

// Strict: a misspelt optional field (`includeInternl: true`) is refused, naming it, rather than dropped.
const webhookUrl = text({ min: 1, max: 2048 })
const webhookEventTypes = z.array(ActivityType).min(1).max(100)
const webhookDescription = text({ max: 500 })
/** Accepts an `http` URL that is not on the loopback interface (a private network); `https` only otherwise. */
const allowHttp = z.boolean().default(false)

/**
 * Input of `createWebhookSubscription` (admin): the endpoint's URL, the event types it receives
 * (every type when absent), and `includeInternal` to opt in to internal events (note bodies,
 * personal values).
 * @example `{ url: "https://crm.example.com/hooks/rmc", eventTypes: ["conversation.status_changed"] }`
 */
export const CreateWebhookSubscriptionInput = z.strictObject({
  url: webhookUrl,
  eventTypes: webhookEventTypes.optional(),
  description: webhookDescription.optional(),
  includeInternal: z.boolean().default(false),
  enabled: z.boolean().default(true),
  allowHttp,
})
/** Input of `getWebhookSubscription` and `deleteWebhookSubscription`. @example `{ subscriptionId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11" }` */
export const WebhookSubscriptionIdInput = z.strictObject({ subscriptionId: EntityId })
/** Input of `listWebhookSubscriptions`. @example `{ limit: 20 }` */
export const ListWebhookSubscriptionsInput = z.strictObject({ ...pageFields })
/**
 * Input of `updateWebhookSubscription` (admin): only the given fields change; `eventTypes: null`
 * means every type; `enabled: true` re-enables a disabled subscription.
 * @example `{ subscriptionId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11", enabled: false, expectedVersion: 2 }`
 */
export const UpdateWebhookSubscriptionInput = z.strictObject({
  subscriptionId: EntityId,
  url: webhookUrl.optional(),
  eventTypes: webhookEventTypes.nullable().optional(),
  description: webhookDescription.nullable().optional(),
  includeInternal: z.boolean().optional(),
  enabled: z.boolean().optional(),
  allowHttp,
  expectedVersion,
})
/**
 * Input of `rotateWebhookSecret` (admin): how long the previous secret keeps signing beside the
 * new one (0 to 7 days, default 24 hours).
 * @example `{ subscriptionId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11", graceSeconds: 3600 }`
 */
export const RotateWebhookSecretInput = z.strictObject({
  subscriptionId: EntityId,
  graceSeconds: z
    .number()
    .int()
    .min(0)
    .max(7 * 86_400)
    .default(86_400),
  expectedVersion,
})
/** Input of `listWebhookDeadLetters`. @example `{ subscriptionId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11", limit: 50 }` */
export const ListWebhookDeadLettersInput = z.strictObject({ subscriptionId: EntityId, ...pageFields })
/**
 * Input of `replayWebhookDeadLetters` (admin): one dead letter, or every one of the subscription
 * when `deadLetterId` is absent.
 * @example `{ subscriptionId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11" }`
 */
export const ReplayWebhookDeadLettersInput = z.strictObject({ subscriptionId: EntityId, deadLetterId: EntityId.optional() })

const attributeLabel = text({ min: 1, max: 80 })
const attributeOptions = z.array(AttributeOption).min(1).max(100)

/**
 * Input of `defineAttribute` (admin): a custom attribute of contacts or conversations. `options`
 * are the values of an `enum` (required for it, refused for the other types), unique ignoring
 * case. `required` attributes are enforced by `setAttributes` (see its documentation).
 * @example `{ key: "customer_tier", label: "Customer tier", type: "enum", target: "contact", options: ["Gold", "Silver"] }`
 */
export const DefineAttributeInput = z.strictObject({
  key: AttributeKey,
  label: attributeLabel,
  type: AttributeType,
  target: AttributeTarget,
  options: attributeOptions.optional(),
  required: z.boolean().default(false),
  idempotencyKey,
})
/**
 * Input of `updateAttribute` (admin): only the given fields change; `addOptions` appends options
 * to an `enum` (an option is never removed or renamed, so that no stored value stops fitting).
 * @example `{ attributeId, label: "Tier", addOptions: ["Platinum"], expectedVersion: 1 }`
 */
export const UpdateAttributeInput = z.strictObject({
  attributeId: EntityId,
  label: attributeLabel.optional(),
  addOptions: attributeOptions.optional(),
  required: z.boolean().optional(),
  expectedVersion,
})
/** Input of `getAttribute` and `archiveAttribute`. @example `{ attributeId }` */
export const AttributeIdInput = z.strictObject({ attributeId: EntityId })
/**
 * Input of `listAttributes`: one page of the tenant's definitions sorted by key, of one target
 * when `target` is given, archived ones only with `includeArchived`.
 * @example `{ target: "contact", limit: 50 }`
 */
export const ListAttributesInput = z.strictObject({
  target: AttributeTarget.optional(),
  includeArchived: z.boolean().default(false),
  ...pageFields,
})
/**
 * Input of `setAttributes`: values by key, `null` to clear one; keys left out keep their value.
 * @example `{ subject: { kind: "contact", id }, values: { customer_tier: "Gold", seats: null } }`
 */
export const SetAttributesInput = z.strictObject({
  subject: strict(AttributeSubject),
  values: z
    .record(AttributeKey, AttributeValue.nullable())
    .refine((values) => Object.keys(values).length >= 1 && Object.keys(values).length <= 50, { message: "give 1 to 50 values" }),
  expectedVersion,
})
/** Input of `getAttributes`. @example `{ subject: { kind: "conversation", id } }` */
export const GetAttributesInput = z.strictObject({ subject: strict(AttributeSubject) })
