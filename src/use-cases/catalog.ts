import * as z from "zod"
import { ActivityEvent } from "../domain/activity/activity-event"
import { Agent } from "../domain/agent/agent"
import { AttributeDefinition, SubjectAttributes } from "../domain/attribute/attribute-definition"
import { CallAttempt } from "../domain/call/call-attempt"
import { Contact } from "../domain/contact/contact"
import { Conversation, ConversationSummary } from "../domain/conversation/conversation"
import { CustomerConversationView } from "../domain/conversation/customer-conversation-view"
import { Department } from "../domain/department/department"
import { ConversationDetails } from "../domain/details/conversation-details"
import { ContactMergeResult, ContactUnmergeResult } from "../domain/merge/contact-merge"
import { MergePreview } from "../domain/merge/merge-preview"
import { Note } from "../domain/note/note"
import { ContactErasure } from "../domain/privacy/contact-erasure"
import { ContactExportRecord } from "../domain/privacy/contact-export"
import { VolumeRow } from "../domain/search/volume-report"
import { pageOf } from "../domain/shared/page"
import type { Role } from "../domain/shared/principal"
import { Keyword } from "../domain/tagging/keyword"
import { Label } from "../domain/tagging/label"
import { TenantSettings } from "../domain/tenant/tenant-settings"
import { WebhookDeadLetter, WebhookSubscription, WebhookSubscriptionWithSecret } from "../domain/webhooks/webhook-subscription"
import * as I from "./inputs"

/**
 * Description of one operation: its input and output schemas, the lowest role allowed to call it,
 * whether it only reads, and a one-line summary. The Promise API, the HTTP server, the HTTP client
 * and the OpenAPI document are all derived from this table.
 *
 * @example
 * ```ts
 * import { operations } from "rmc-details"
 * operations.addNote.minRole // "agent"
 * ```
 */
export interface OperationSpec<In extends z.ZodType = z.ZodType, Out extends z.ZodType = z.ZodType> {
  readonly input: In
  readonly output: Out
  readonly minRole: Role
  readonly readOnly: boolean
  readonly summary: string
}

const ResolvedContact = z.object({ contact: Contact, created: z.boolean() }).meta({ id: "ResolvedContact" })

const op = <In extends z.ZodType, Out extends z.ZodType>(
  input: In,
  output: Out,
  minRole: Role,
  readOnly: boolean,
  summary: string,
): OperationSpec<In, Out> => ({ input, output, minRole, readOnly, summary })

/**
 * Every operation of the SDK, by name.
 *
 * @example
 * ```ts
 * import { operations } from "rmc-details"
 * Object.keys(operations).length
 * ```
 */
export const operations = {
  getSettings: op(I.GetSettingsInput, TenantSettings, "agent", true, "Read the tenant's settings."),
  configureTenant: op(
    I.ConfigureTenantInput,
    TenantSettings,
    "admin",
    false,
    "Change the tenant's region, contact types, transitions, policies or routing rules.",
  ),
  tenantActivity: op(
    I.TenantActivityInput,
    pageOf(ActivityEvent),
    "supervisor",
    true,
    "The tenant's own activity, newest first: settings and catalog changes (departments, keywords, labels).",
  ),

  createContact: op(I.CreateContactInput, Contact, "agent", false, "Create a contact."),
  updateContact: op(I.UpdateContactInput, Contact, "agent", false, "Change a contact's name, phones, e-mail or channel identities."),
  getContact: op(I.GetContactInput, Contact, "agent", true, "Read a contact."),
  findContacts: op(
    I.FindContactsInput,
    pageOf(Contact),
    "agent",
    true,
    "Find contacts by phone, e-mail or channel handle (one at most), or by name prefix for a picker (A to Z, paginated).",
  ),
  resolveContact: op(
    I.ResolveContactInput,
    ResolvedContact,
    "agent",
    false,
    "Find the contact of an inbound message by its channel and handle, or create it; concurrent calls for one new handle give one contact.",
  ),
  transformContact: op(I.TransformContactInput, Contact, "agent", false, "Change a contact's type along an allowed transition (e.g. Lead to Client)."),
  listContactConversations: op(
    I.ListContactConversationsInput,
    pageOf(ConversationSummary),
    "agent",
    true,
    "The contact's conversations on every channel, most recent activity first.",
  ),
  contactActivity: op(I.ContactActivityInput, pageOf(ActivityEvent), "agent", true, "The contact's activity log, newest first."),
  eraseContact: op(
    I.EraseContactInput,
    ContactErasure,
    "admin",
    false,
    "Erase a contact's personal data (contact, notes and their revisions, activity values, call data), irreversibly; audited with a reason.",
  ),
  previewMerge: op(
    I.PreviewMergeInput,
    MergePreview,
    "agent",
    true,
    "What merging a contact into another would move, and the fields on which they disagree (the tenant's merge role applies).",
  ),
  mergeContacts: op(
    I.MergeContactsInput,
    ContactMergeResult,
    "agent",
    false,
    "Merge a duplicate contact into another, all-or-nothing; the duplicate becomes a tombstone (the tenant's merge role applies).",
  ),
  unmergeContacts: op(
    I.UnmergeContactsInput,
    ContactUnmergeResult,
    "agent",
    false,
    "Undo a merge within the tenant's unmerge window, restoring the split of what has not changed since (the tenant's merge role applies).",
  ),
  exportContact: op(
    I.ExportContactInput,
    pageOf(ContactExportRecord).meta({ id: "ContactExportPage" }),
    "admin",
    true,
    "One page of a contact's data: the contact, its conversations, notes with revisions, activity and calls.",
  ),

  openConversation: op(I.OpenConversationInput, Conversation, "agent", false, "Open a conversation with a contact on a channel."),
  getConversation: op(I.GetConversationInput, Conversation, "agent", true, "Read a conversation."),
  getCustomerView: op(I.GetConversationInput, CustomerConversationView, "agent", true, "The customer-facing projection of a conversation: never a note."),
  setConversationStatus: op(I.SetConversationStatusInput, Conversation, "agent", false, "Set a conversation's status."),
  recordConversationActivity: op(I.RecordConversationActivityInput, Conversation, "agent", false, "Record activity (a message) on a conversation."),
  assignDepartment: op(I.AssignDepartmentInput, Conversation, "agent", false, "Assign, change or clear a conversation's department."),
  transferConversation: op(I.TransferConversationInput, Conversation, "agent", false, "Transfer a conversation to another agent and/or department."),
  conversationActivity: op(I.ConversationActivityInput, pageOf(ActivityEvent), "agent", true, "The conversation's activity log, newest first."),
  getDetails: op(I.GetDetailsInput, ConversationDetails, "agent", true, "Everything the Details panel shows for a conversation, in one call."),
  searchConversations: op(
    I.SearchConversationsInput,
    pageOf(ConversationSummary),
    "agent",
    true,
    "Search conversations by keywords, labels, department, channel, status, contact type, dates and custom attributes.",
  ),
  volumeReport: op(
    I.VolumeReportInput,
    z.array(VolumeRow),
    "agent",
    true,
    "Conversation volumes per department, keyword, label, channel or enum attribute over a period.",
  ),

  listDepartments: op(I.ListCatalogInput, pageOf(Department), "agent", true, "The tenant's departments, A to Z, paginated, with a name search."),
  createDepartment: op(I.CreateDepartmentInput, Department, "supervisor", false, "Create a department."),
  renameDepartment: op(I.RenameDepartmentInput, Department, "supervisor", false, "Rename a department."),
  archiveDepartment: op(I.ArchiveDepartmentInput, Department, "supervisor", false, "Archive a department: no longer assignable, kept on past conversations."),

  listAgents: op(I.ListAgentsInput, pageOf(Agent), "agent", true, "The tenant's agent directory by agent id, paginated, by department."),
  getAgent: op(I.AgentIdInput, Agent, "agent", true, "Read an agent of the directory."),
  createAgent: op(I.CreateAgentInput, Agent, "admin", false, "Add an agent to the tenant's directory."),
  updateAgent: op(I.UpdateAgentInput, Agent, "admin", false, "Change an agent's name, role, departments or active state."),
  deactivateAgent: op(I.DeactivateAgentInput, Agent, "admin", false, "Deactivate an agent: no transfer goes to it any more."),

  addNote: op(I.AddNoteInput, Note, "agent", false, "Add an internal note to a contact or a conversation."),
  editNote: op(I.EditNoteInput, Note, "agent", false, "Edit a note (its author, a supervisor or an admin); the earlier body is kept."),
  deleteNote: op(I.DeleteNoteInput, Note, "agent", false, "Delete a note (its author, a supervisor or an admin); a soft delete."),
  getNote: op(I.GetNoteInput, Note, "agent", true, "Read a note with its revisions."),
  listNotes: op(I.ListNotesInput, pageOf(Note), "agent", true, "The live notes of a contact or a conversation, newest first, paginated."),

  listKeywords: op(I.ListCatalogInput, pageOf(Keyword), "agent", true, "The tenant's keyword catalog, A to Z, paginated, with a name search."),
  createKeyword: op(I.CreateKeywordInput, Keyword, "supervisor", false, "Add a keyword to the catalog."),
  renameKeyword: op(I.RenameKeywordInput, Keyword, "supervisor", false, "Rename a keyword."),
  archiveKeyword: op(I.ArchiveKeywordInput, Keyword, "supervisor", false, "Archive a keyword: no longer attachable, kept where attached."),
  mergeKeywords: op(I.MergeKeywordsInput, Keyword, "supervisor", false, "Merge a keyword into another: its conversations move to the target."),
  attachKeyword: op(I.ConversationKeywordInput, z.array(Keyword), "agent", false, "Attach a keyword to a conversation."),
  detachKeyword: op(I.ConversationKeywordInput, z.array(Keyword), "agent", false, "Detach a keyword from a conversation."),

  listLabels: op(I.ListCatalogInput, pageOf(Label), "agent", true, "The tenant's labels, A to Z, paginated, with a name search."),
  createLabel: op(I.CreateLabelInput, Label, "agent", false, "Create a label on the spot, optionally applying it to a conversation."),
  updateLabel: op(I.UpdateLabelInput, Label, "supervisor", false, "Change a label's name, colour or description."),
  archiveLabel: op(I.ArchiveLabelInput, Label, "supervisor", false, "Archive a label: no longer applicable, kept where applied."),
  applyLabel: op(I.ConversationLabelInput, z.array(Label), "agent", false, "Apply a label to a conversation."),
  removeLabel: op(I.ConversationLabelInput, z.array(Label), "agent", false, "Remove a label from a conversation."),

  defineAttribute: op(I.DefineAttributeInput, AttributeDefinition, "admin", false, "Define a custom attribute of contacts or conversations."),
  updateAttribute: op(
    I.UpdateAttributeInput,
    AttributeDefinition,
    "admin",
    false,
    "Change a custom attribute's label or required flag, or add options to an enum.",
  ),
  archiveAttribute: op(
    I.AttributeIdInput,
    AttributeDefinition,
    "admin",
    false,
    "Archive a custom attribute: its values stay readable and searchable, and can no longer be set or cleared.",
  ),
  getAttribute: op(I.AttributeIdInput, AttributeDefinition, "agent", true, "Read a custom attribute's definition."),
  listAttributes: op(I.ListAttributesInput, pageOf(AttributeDefinition), "agent", true, "The tenant's custom attribute definitions, by key, paginated."),
  setAttributes: op(
    I.SetAttributesInput,
    SubjectAttributes,
    "agent",
    false,
    "Set or clear custom attribute values of a contact or a conversation, checked against their definitions.",
  ),
  getAttributes: op(I.GetAttributesInput, SubjectAttributes, "agent", true, "The custom attribute values of a contact or a conversation."),

  callContact: op(I.CallContactInput, CallAttempt, "agent", false, "Call the contact through the telephony system."),
  recordCallStatus: op(I.RecordCallStatusInput, CallAttempt, "supervisor", false, "Apply a status report of the telephony system to a call attempt."),
  listCalls: op(I.ListCallsInput, pageOf(CallAttempt), "agent", true, "The conversation's call attempts, newest first, paginated."),

  createWebhookSubscription: op(
    I.CreateWebhookSubscriptionInput,
    WebhookSubscriptionWithSecret,
    "admin",
    false,
    "Subscribe an endpoint to the tenant's events; its signing secret is answered this once.",
  ),
  listWebhookSubscriptions: op(
    I.ListWebhookSubscriptionsInput,
    pageOf(WebhookSubscription),
    "admin",
    true,
    "The tenant's webhook subscriptions, newest first, without their secrets.",
  ),
  getWebhookSubscription: op(
    I.WebhookSubscriptionIdInput,
    WebhookSubscription,
    "admin",
    true,
    "Read a webhook subscription and its delivery state, without its secrets.",
  ),
  updateWebhookSubscription: op(
    I.UpdateWebhookSubscriptionInput,
    WebhookSubscription,
    "admin",
    false,
    "Change a webhook subscription's URL, event types, internal opt-in or description; enable or disable it.",
  ),
  rotateWebhookSecret: op(
    I.RotateWebhookSecretInput,
    WebhookSubscriptionWithSecret,
    "admin",
    false,
    "Give a webhook subscription a new secret, answered this once; the previous one signs too during a grace period.",
  ),
  deleteWebhookSubscription: op(I.WebhookSubscriptionIdInput, WebhookSubscription, "admin", false, "Delete a webhook subscription and its dead letters."),
  listWebhookDeadLetters: op(
    I.ListWebhookDeadLettersInput,
    pageOf(WebhookDeadLetter),
    "admin",
    true,
    "The events a subscription's endpoint did not take, newest first.",
  ),
  replayWebhookDeadLetters: op(
    I.ReplayWebhookDeadLettersInput,
    z.object({ subscription: WebhookSubscription, deadLetters: z.number().int().nonnegative() }).meta({ id: "WebhookReplay" }),
    "admin",
    false,
    "Send one or every dead letter of a subscription again, in order, re-enabling it if it was disabled.",
  ),
} as const

/**
 * Name of an operation.
 *
 * @example
 * ```ts
 * import type { OperationName } from "rmc-details"
 * const name: OperationName = "getDetails"
 * ```
 */
export type OperationName = keyof typeof operations

/**
 * What a caller passes to operation `K`.
 *
 * @example
 * ```ts
 * import type { OperationInput } from "rmc-details"
 * const input: OperationInput<"addNote"> = { subject: { kind: "contact", id: "..." }, body: "Hello" }
 * ```
 */
export type OperationInput<K extends OperationName> = z.input<(typeof operations)[K]["input"]>

/**
 * What operation `K` answers.
 *
 * @example
 * ```ts
 * import type { OperationOutput } from "rmc-details"
 * type NoteOut = OperationOutput<"addNote">
 * ```
 */
export type OperationOutput<K extends OperationName> = z.output<(typeof operations)[K]["output"]>

/**
 * The Promise API of one principal: one method per operation, same names and types everywhere
 * (the in-process facade `createRmc(...).as(principal)` and the HTTP client). A method rejects
 * with one of the SDK's typed errors ({@link RmcError}).
 *
 * @example
 * ```ts
 * import type { RmcApi } from "rmc-details"
 * const addReminder = (api: RmcApi, conversationId: string) =>
 *   api.addNote({ subject: { kind: "conversation", id: conversationId }, body: "Call back at 3pm" })
 * ```
 */
export type RmcApi = {
  readonly [K in OperationName]: (input: OperationInput<K>) => Promise<OperationOutput<K>>
}
