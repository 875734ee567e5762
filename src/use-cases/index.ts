import type { OperationName } from "./catalog"
import { getSettings } from "./get-settings"
import { configureTenant } from "./configure-tenant"
import { createContact } from "./create-contact"
import { updateContact } from "./update-contact"
import { getContact } from "./get-contact"
import { findContacts } from "./find-contacts"
import { resolveContact } from "./resolve-contact"
import { transformContact } from "./transform-contact"
import { listContactConversations } from "./list-contact-conversations"
import { contactActivity } from "./contact-activity"
import { eraseContact } from "./erase-contact"
import { mergeContacts } from "./merge-contacts"
import { previewMerge } from "./preview-merge"
import { unmergeContacts } from "./unmerge-contacts"
import { exportContact } from "./export-contact"
import { tenantActivity } from "./tenant-activity"
import { openConversation } from "./open-conversation"
import { getConversation } from "./get-conversation"
import { getCustomerView } from "./get-customer-view"
import { setConversationStatus } from "./set-conversation-status"
import { recordConversationActivity } from "./record-conversation-activity"
import { assignDepartment } from "./assign-department"
import { transferConversation } from "./transfer-conversation"
import { conversationActivity } from "./conversation-activity"
import { getDetails } from "./get-details"
import { searchConversations } from "./search-conversations"
import { volumeReport } from "./volume-report"
import { listDepartments } from "./list-departments"
import { createDepartment } from "./create-department"
import { renameDepartment } from "./rename-department"
import { archiveDepartment } from "./archive-department"
import { listAgents } from "./list-agents"
import { getAgent } from "./get-agent"
import { createAgent } from "./create-agent"
import { updateAgent } from "./update-agent"
import { deactivateAgent } from "./deactivate-agent"
import { addNote } from "./add-note"
import { editNote } from "./edit-note"
import { deleteNote } from "./delete-note"
import { getNote } from "./get-note"
import { listNotes } from "./list-notes"
import { listKeywords } from "./list-keywords"
import { createKeyword } from "./create-keyword"
import { renameKeyword } from "./rename-keyword"
import { archiveKeyword } from "./archive-keyword"
import { mergeKeywords } from "./merge-keywords"
import { attachKeyword } from "./attach-keyword"
import { detachKeyword } from "./detach-keyword"
import { listLabels } from "./list-labels"
import { createLabel } from "./create-label"
import { updateLabel } from "./update-label"
import { archiveLabel } from "./archive-label"
import { applyLabel } from "./apply-label"
import { removeLabel } from "./remove-label"
import { callContact } from "./call-contact"
import { recordCallStatus } from "./record-call-status"
import { listCalls } from "./list-calls"
import { createWebhookSubscription } from "./create-webhook-subscription"
import { listWebhookSubscriptions } from "./list-webhook-subscriptions"
import { getWebhookSubscription } from "./get-webhook-subscription"
import { updateWebhookSubscription } from "./update-webhook-subscription"
import { rotateWebhookSecret } from "./rotate-webhook-secret"
import { deleteWebhookSubscription } from "./delete-webhook-subscription"
import { listWebhookDeadLetters } from "./list-webhook-dead-letters"
import { replayWebhookDeadLetters } from "./replay-webhook-dead-letters"
import { defineAttribute } from "./define-attribute"
import { updateAttribute } from "./update-attribute"
import { archiveAttribute } from "./archive-attribute"
import { getAttribute } from "./get-attribute"
import { listAttributes } from "./list-attributes"
import { setAttributes } from "./set-attributes"
import { getAttributes } from "./get-attributes"
import type { UseCase } from "./support/use-case"

/**
 * The Effect API: every operation as a function `(principal, input) => Effect`, by name. Each one
 * needs the ports it uses (`Storage`, `Clock`, `IdGenerator`, and `Telephony` for `callContact`)
 * and fails with the SDK's typed errors.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { useCases } from "rmc-details"
 * const program = useCases.listDepartments({ tenantId: "acme", agentId: "alice", role: "agent" }, {})
 * ```
 */
export const useCases = {
  getSettings,
  configureTenant,
  tenantActivity,
  createContact,
  updateContact,
  getContact,
  findContacts,
  resolveContact,
  transformContact,
  listContactConversations,
  contactActivity,
  eraseContact,
  previewMerge,
  mergeContacts,
  unmergeContacts,
  exportContact,
  openConversation,
  getConversation,
  getCustomerView,
  setConversationStatus,
  recordConversationActivity,
  assignDepartment,
  transferConversation,
  conversationActivity,
  getDetails,
  searchConversations,
  volumeReport,
  listDepartments,
  createDepartment,
  renameDepartment,
  archiveDepartment,
  listAgents,
  getAgent,
  createAgent,
  updateAgent,
  deactivateAgent,
  addNote,
  editNote,
  deleteNote,
  getNote,
  listNotes,
  listKeywords,
  createKeyword,
  renameKeyword,
  archiveKeyword,
  mergeKeywords,
  attachKeyword,
  detachKeyword,
  listLabels,
  createLabel,
  updateLabel,
  archiveLabel,
  applyLabel,
  removeLabel,
  callContact,
  recordCallStatus,
  listCalls,
  createWebhookSubscription,
  listWebhookSubscriptions,
  getWebhookSubscription,
  updateWebhookSubscription,
  rotateWebhookSecret,
  deleteWebhookSubscription,
  listWebhookDeadLetters,
  replayWebhookDeadLetters,
  defineAttribute,
  updateAttribute,
  archiveAttribute,
  getAttribute,
  listAttributes,
  setAttributes,
  getAttributes,
} satisfies { readonly [K in OperationName]: UseCase<K, unknown> }
