import type { ActivityEvent } from "../../domain/activity/activity-event"
import type { Agent } from "../../domain/agent/agent"
import type { Role } from "../../domain/shared/principal"
import type { AttributeDefinition, AttributeType, AttributeValue, StoredAttributeValue } from "../../domain/attribute/attribute-definition"
import { attributeText } from "../../domain/attribute/normalize-attribute-value"
import type { CallAttempt } from "../../domain/call/call-attempt"
import type { Contact } from "../../domain/contact/contact"
import { contactNameKey } from "../../domain/contact/contact-identity"
import type { Conversation, ConversationSummary, LabelChip } from "../../domain/conversation/conversation"
import type { Department } from "../../domain/department/department"
import type { ContactMerge } from "../../domain/merge/contact-merge"
import type { Note } from "../../domain/note/note"
import type { Keyword } from "../../domain/tagging/keyword"
import type { Label } from "../../domain/tagging/label"
import { TenantMergeRules, TenantPolicies, TenantRetention, type TenantSettings, TenantVisibility } from "../../domain/tenant/tenant-settings"
import { nameOrder, orderBy } from "../../domain/shared/ordering"

/** A row as a driver returns it, or as the database serialised it to JSON. */
export type Row = Record<string, unknown>

const json = <A>(value: unknown): A => (typeof value === "string" ? (JSON.parse(value) as A) : (value as A))
const text = (value: unknown): string => String(value)
const nullable = (value: unknown): string | null => (value === null || value === undefined ? null : String(value))
const int = (value: unknown): number => Number(value)

export const contactRow = (c: Contact) => ({
  tenant_id: c.tenantId,
  id: c.id,
  full_name: c.fullName,
  normalized_name: contactNameKey(c.fullName),
  type: c.type,
  primary_phone: c.primaryPhone,
  phones: JSON.stringify(c.phones),
  email: c.email,
  channel_identities: JSON.stringify(c.channelIdentities),
  created_at: c.createdAt,
  last_activity_at: c.lastActivityAt,
  erased_at: c.erasedAt,
  merged_into: c.mergedInto,
  merged_at: c.mergedAt,
  version: c.version,
})

export const toContact = (r: Row): Contact => ({
  id: text(r.id),
  tenantId: text(r.tenant_id),
  fullName: text(r.full_name),
  type: text(r.type),
  primaryPhone: nullable(r.primary_phone),
  phones: json(r.phones),
  email: nullable(r.email),
  channelIdentities: json(r.channel_identities),
  createdAt: text(r.created_at),
  lastActivityAt: text(r.last_activity_at),
  erasedAt: nullable(r.erased_at),
  mergedInto: nullable(r.merged_into),
  mergedAt: nullable(r.merged_at),
  version: int(r.version),
})

export const conversationRow = (c: Conversation) => ({
  tenant_id: c.tenantId,
  id: c.id,
  contact_id: c.contactId,
  channel: c.channel,
  status: c.status,
  assignee_id: c.assigneeId,
  department_id: c.departmentId,
  created_at: c.createdAt,
  last_activity_at: c.lastActivityAt,
  assigned_at: c.assignedAt,
  version: c.version,
})

export const toConversation = (r: Row): Conversation => ({
  id: text(r.id),
  tenantId: text(r.tenant_id),
  contactId: text(r.contact_id),
  channel: text(r.channel) as Conversation["channel"],
  status: text(r.status) as Conversation["status"],
  assigneeId: nullable(r.assignee_id),
  departmentId: nullable(r.department_id),
  createdAt: text(r.created_at),
  lastActivityAt: text(r.last_activity_at),
  assignedAt: nullable(r.assigned_at),
  version: int(r.version),
})

const byNormalizedName = orderBy(nameOrder, (chip: { n: string; id: string }) => ({ name: chip.n, id: chip.id }))

/** Label chips as the database aggregated them (`id`, `name`, `color`, `n` the normalised name), in catalog order. */
export const toChips = (value: unknown): Array<LabelChip> =>
  (value === null || value === undefined ? [] : json<Array<{ id: string; name: string; color: string; n: string }>>(value))
    .sort(byNormalizedName)
    .map(({ id, name, color }) => ({ id, name, color }))

export const toSummary = (r: Row, labels: Array<LabelChip>): ConversationSummary => ({
  id: text(r.id),
  contactId: text(r.contact_id),
  channel: text(r.channel) as Conversation["channel"],
  status: text(r.status) as Conversation["status"],
  assigneeId: nullable(r.assignee_id),
  departmentId: nullable(r.department_id),
  departmentName: nullable(r.department_name),
  labels,
  createdAt: text(r.created_at),
  lastActivityAt: text(r.last_activity_at),
})

export const departmentRow = (d: Department) => ({
  tenant_id: d.tenantId,
  id: d.id,
  name: d.name,
  normalized_name: d.normalizedName,
  created_at: d.createdAt,
  archived_at: d.archivedAt,
})

export const toDepartment = (r: Row): Department => ({
  id: text(r.id),
  tenantId: text(r.tenant_id),
  name: text(r.name),
  normalizedName: text(r.normalized_name),
  createdAt: text(r.created_at),
  archivedAt: nullable(r.archived_at),
})

export const keywordRow = (k: Keyword) => ({ ...departmentRow(k), merged_into_id: k.mergedIntoId })

export const toKeyword = (r: Row): Keyword => ({ ...toDepartment(r), mergedIntoId: nullable(r.merged_into_id) })

export const labelRow = (l: Label) => ({ ...departmentRow(l), color: l.color, description: l.description, created_by: l.createdBy })

export const toLabel = (r: Row): Label => ({
  ...toDepartment(r),
  color: text(r.color),
  description: nullable(r.description),
  createdBy: text(r.created_by),
})

export const noteRow = (n: Note) => ({
  tenant_id: n.tenantId,
  id: n.id,
  subject_kind: n.subject.kind,
  subject_id: n.subject.id,
  contact_id: n.contactId,
  body: n.body,
  author_id: n.authorId,
  created_at: n.createdAt,
  edited_at: n.editedAt,
  deleted_at: n.deletedAt,
  deleted_by: n.deletedBy,
  revisions: JSON.stringify(n.revisions),
  version: n.version,
})

export const toNote = (r: Row): Note => ({
  id: text(r.id),
  tenantId: text(r.tenant_id),
  subject: { kind: text(r.subject_kind) as Note["subject"]["kind"], id: text(r.subject_id) },
  contactId: text(r.contact_id),
  body: text(r.body),
  authorId: text(r.author_id),
  createdAt: text(r.created_at),
  editedAt: nullable(r.edited_at),
  deletedAt: nullable(r.deleted_at),
  deletedBy: nullable(r.deleted_by),
  revisions: json(r.revisions),
  version: int(r.version),
})

export const callRow = (c: CallAttempt) => ({
  tenant_id: c.tenantId,
  id: c.id,
  conversation_id: c.conversationId,
  contact_id: c.contactId,
  to_number: c.to,
  idempotency_key: c.idempotencyKey,
  requested_by: c.requestedBy,
  status: c.status,
  provider_call_id: c.providerCallId,
  failure_reason: c.failureReason,
  created_at: c.createdAt,
  updated_at: c.updatedAt,
})

export const toCall = (r: Row): CallAttempt => ({
  id: text(r.id),
  tenantId: text(r.tenant_id),
  conversationId: text(r.conversation_id),
  contactId: text(r.contact_id),
  to: text(r.to_number),
  idempotencyKey: text(r.idempotency_key),
  requestedBy: text(r.requested_by),
  status: text(r.status) as CallAttempt["status"],
  providerCallId: nullable(r.provider_call_id),
  failureReason: nullable(r.failure_reason),
  createdAt: text(r.created_at),
  updatedAt: text(r.updated_at),
})

export const activityRow = (e: ActivityEvent, position: number) => ({
  tenant_id: e.tenantId,
  position,
  id: e.id,
  type: e.type,
  at: e.at,
  actor_id: e.actorId,
  actor_role: e.actorRole,
  subject_id: e.subjectId,
  conversation_id: e.conversationId,
  contact_id: e.contactId,
  before_state: e.before === null ? null : JSON.stringify(e.before),
  after_state: e.after === null ? null : JSON.stringify(e.after),
})

export const toActivity = (r: Row): ActivityEvent => ({
  id: text(r.id),
  tenantId: text(r.tenant_id),
  type: text(r.type) as ActivityEvent["type"],
  at: text(r.at),
  actorId: text(r.actor_id),
  actorRole: text(r.actor_role) as ActivityEvent["actorRole"],
  subjectId: text(r.subject_id),
  conversationId: nullable(r.conversation_id),
  contactId: nullable(r.contact_id),
  before: r.before_state === null || r.before_state === undefined ? null : json(r.before_state),
  after: r.after_state === null || r.after_state === undefined ? null : json(r.after_state),
})

export const toSettings = (r: Row): TenantSettings => {
  const document = json<TenantSettings>(r.document)
  // Policies, visibility rules, retention periods and merge rules added since a document was stored read as their defaults.
  return {
    ...document,
    policies: TenantPolicies.parse(document.policies ?? {}),
    visibility: TenantVisibility.parse(document.visibility ?? {}),
    retention: TenantRetention.parse(document.retention ?? {}),
    merge: TenantMergeRules.parse(document.merge ?? {}),
    version: int(r.version),
  }
}

export const attributeDefinitionRow = (d: AttributeDefinition) => ({
  tenant_id: d.tenantId,
  id: d.id,
  key: d.key,
  label: d.label,
  type: d.type,
  target: d.target,
  options: JSON.stringify(d.options),
  required: d.required ? 1 : 0,
  created_at: d.createdAt,
  archived_at: d.archivedAt,
  version: d.version,
})

export const toAttributeDefinition = (r: Row): AttributeDefinition => ({
  id: text(r.id),
  tenantId: text(r.tenant_id),
  key: text(r.key),
  label: text(r.label),
  type: text(r.type) as AttributeType,
  target: text(r.target) as AttributeDefinition["target"],
  options: json(r.options),
  // Drivers answer 1, "1" or true for a true flag.
  required: r.required === true || Number(r.required) === 1,
  createdAt: text(r.created_at),
  archivedAt: nullable(r.archived_at),
  version: int(r.version),
})

export const attributeValueRow = (v: StoredAttributeValue) => ({
  tenant_id: v.tenantId,
  subject_kind: v.subject.kind,
  subject_id: v.subject.id,
  key: v.key,
  value_type: v.type,
  value_text: attributeText(v.value),
  value_number: typeof v.value === "number" ? v.value : null,
  updated_at: v.updatedAt,
})

/**
 * A stored value read back typed. Numbers come from their text, the shortest form that reads back
 * exactly: a JSON document built by the database may print a double with fewer digits.
 */
export const toAttributeValue = (r: Row): AttributeValue =>
  r.value_type === "number" ? Number(r.value_text) : r.value_type === "boolean" ? r.value_text === "true" : text(r.value_text)

export const toStoredAttributeValue = (r: Row): StoredAttributeValue => ({
  tenantId: text(r.tenant_id),
  subject: { kind: text(r.subject_kind) as StoredAttributeValue["subject"]["kind"], id: text(r.subject_id) },
  key: text(r.key),
  type: text(r.value_type) as AttributeType,
  value: toAttributeValue(r),
  updatedAt: text(r.updated_at),
})
export const agentRow = (a: Agent) => ({
  tenant_id: a.tenantId,
  id: a.id,
  display_name: a.displayName,
  role: a.role,
  // Ids within quotes, so that `like '%"<id>"%'` finds a member on every SQL family.
  department_ids: JSON.stringify(a.departmentIds),
  active: a.active ? 1 : 0,
  created_at: a.createdAt,
  updated_at: a.updatedAt,
  version: a.version,
})

export const toAgent = (r: Row): Agent => ({
  tenantId: text(r.tenant_id),
  id: text(r.id),
  displayName: text(r.display_name),
  role: text(r.role) as Role,
  departmentIds: json(r.department_ids),
  active: Number(r.active) === 1,
  createdAt: text(r.created_at),
  updatedAt: text(r.updated_at),
  version: int(r.version),
})

export const mergeRow = (m: ContactMerge) => ({
  tenant_id: m.tenantId,
  id: m.id,
  primary_id: m.primaryId,
  secondary_id: m.secondaryId,
  merged_at: m.mergedAt,
  merged_by: m.mergedBy,
  primary_before: JSON.stringify(m.primaryBefore),
  primary_after: JSON.stringify(m.primaryAfter),
  secondary_before: JSON.stringify(m.secondaryBefore),
  attributes: JSON.stringify({ before: m.primaryAttributesBefore, after: m.primaryAttributesAfter }),
  moved_identities: JSON.stringify(m.movedIdentities),
  moved: JSON.stringify(m.moved),
  unmerged_at: m.unmergedAt,
  unmerged_by: m.unmergedBy,
})

export const toMerge = (r: Row): ContactMerge => {
  const attributes = json<{ before: ContactMerge["primaryAttributesBefore"]; after: ContactMerge["primaryAttributesAfter"] }>(r.attributes)
  return {
    id: text(r.id),
    tenantId: text(r.tenant_id),
    primaryId: text(r.primary_id),
    secondaryId: text(r.secondary_id),
    mergedAt: text(r.merged_at),
    mergedBy: text(r.merged_by),
    primaryBefore: json(r.primary_before),
    primaryAfter: json(r.primary_after),
    secondaryBefore: json(r.secondary_before),
    primaryAttributesBefore: attributes.before,
    primaryAttributesAfter: attributes.after,
    movedIdentities: json(r.moved_identities),
    moved: json(r.moved),
    unmergedAt: nullable(r.unmerged_at),
    unmergedBy: nullable(r.unmerged_by),
  }
}
