import { type RmcErrorCode, rmcErrors } from "../domain/shared/errors"
import type { OperationName } from "./catalog"

/**
 * The errors each operation can fail with besides those every operation can, `validation_failed`
 * (the input or the principal is invalid) and `storage_unavailable`. One entry per operation of the
 * catalog: an operation missing here does not compile. `forbidden` is listed for every operation
 * whose `minRole` is above the lowest role, and for those that refuse some callers of their role
 * (a note's author rule). `version_conflict` is listed where a stale `expectedVersion` refuses the
 * change, and where a concurrent writer can still win every one of the re-runs of a command sent
 * without one; `name_taken` wherever a catalog record is written, as the storage port allows it.
 * The type-check holds each entry to the error type of its use case: an error a use case can
 * fail with and its entry lacks does not compile.
 *
 * @example
 * ```ts
 * import { operationErrors } from "rmc-details"
 * operationErrors.transferConversation.includes("policy_violation") // true
 * ```
 */
export const operationErrors = {
  getSettings: [],
  configureTenant: ["forbidden", "version_conflict", "contact_type_in_use"],
  tenantActivity: ["forbidden"],

  createContact: ["idempotency_conflict", "not_found", "identity_taken"],
  updateContact: ["not_found", "version_conflict", "identity_taken", "contact_erased", "merged"],
  findContacts: [],
  resolveContact: [],
  getContact: ["not_found", "merged"],
  transformContact: ["not_found", "version_conflict", "invalid_transition", "contact_erased", "merged"],
  listContactConversations: ["not_found", "merged"],
  contactActivity: ["not_found", "merged"],
  eraseContact: ["forbidden", "not_found", "version_conflict", "contact_erased", "merged"],
  previewMerge: ["forbidden", "not_found", "merge_refused", "contact_erased"],
  mergeContacts: ["forbidden", "not_found", "version_conflict", "identity_taken", "merge_refused", "contact_erased"],
  unmergeContacts: ["forbidden", "not_found", "version_conflict", "identity_taken", "merge_refused"],
  exportContact: ["forbidden", "not_found", "merged"],

  openConversation: ["not_found", "archived", "idempotency_conflict", "version_conflict", "contact_erased", "merged"],
  getConversation: ["not_found"],
  getCustomerView: ["not_found"],
  setConversationStatus: ["not_found", "version_conflict"],
  recordConversationActivity: ["not_found", "version_conflict"],
  assignDepartment: ["not_found", "archived", "version_conflict", "policy_violation", "transfer_refused"],
  transferConversation: ["not_found", "archived", "version_conflict", "policy_violation", "transfer_refused"],
  conversationActivity: ["not_found"],
  getDetails: ["not_found"],
  searchConversations: ["attribute_invalid"],
  volumeReport: ["attribute_invalid"],

  listDepartments: [],
  createDepartment: ["forbidden", "name_taken", "idempotency_conflict", "not_found"],
  renameDepartment: ["forbidden", "not_found", "name_taken"],
  archiveDepartment: ["forbidden", "not_found", "name_taken"],

  listAgents: [],
  getAgent: ["not_found"],
  createAgent: ["forbidden", "name_taken", "not_found", "archived"],
  updateAgent: ["forbidden", "not_found", "archived", "version_conflict"],
  deactivateAgent: ["forbidden", "not_found", "version_conflict"],

  addNote: ["not_found", "idempotency_conflict", "contact_erased", "merged"],
  editNote: ["not_found", "forbidden", "version_conflict", "contact_erased", "merged"],
  deleteNote: ["not_found", "forbidden", "version_conflict"],
  getNote: ["not_found"],
  listNotes: ["not_found", "merged"],

  listKeywords: [],
  createKeyword: ["forbidden", "name_taken", "idempotency_conflict", "not_found"],
  renameKeyword: ["forbidden", "not_found", "name_taken"],
  archiveKeyword: ["forbidden", "not_found", "name_taken"],
  mergeKeywords: ["forbidden", "not_found", "archived", "name_taken"],
  attachKeyword: ["not_found", "archived"],
  detachKeyword: ["not_found"],

  listLabels: [],
  createLabel: ["name_taken", "idempotency_conflict", "not_found"],
  updateLabel: ["forbidden", "not_found", "name_taken"],
  archiveLabel: ["forbidden", "not_found", "name_taken"],
  applyLabel: ["not_found", "archived"],
  removeLabel: ["not_found"],

  callContact: ["not_found", "no_phone_number", "idempotency_conflict", "telephony_unavailable", "call_rejected", "contact_erased", "merged"],
  recordCallStatus: ["forbidden", "not_found"],
  listCalls: ["not_found"],

  createWebhookSubscription: ["forbidden"],
  listWebhookSubscriptions: ["forbidden"],
  getWebhookSubscription: ["forbidden", "not_found"],
  updateWebhookSubscription: ["forbidden", "not_found", "version_conflict"],
  rotateWebhookSecret: ["forbidden", "not_found", "version_conflict"],
  deleteWebhookSubscription: ["forbidden", "not_found"],
  listWebhookDeadLetters: ["forbidden", "not_found"],
  replayWebhookDeadLetters: ["forbidden", "not_found", "version_conflict"],

  defineAttribute: ["forbidden", "name_taken", "idempotency_conflict", "not_found"],
  updateAttribute: ["forbidden", "not_found", "version_conflict", "archived"],
  archiveAttribute: ["forbidden", "not_found", "version_conflict"],
  getAttribute: ["not_found"],
  listAttributes: [],
  setAttributes: ["not_found", "version_conflict", "attribute_invalid", "archived", "merged"],
  getAttributes: ["not_found", "merged"],
} as const satisfies { readonly [K in OperationName]: ReadonlyArray<RmcErrorCode> }

/**
 * The code of an error that operation `K` can fail with.
 *
 * @example
 * ```ts
 * import type { OperationErrorCode } from "rmc-details"
 * const code: OperationErrorCode<"getContact"> = "not_found"
 * ```
 */
export type OperationErrorCode<K extends OperationName> = (typeof operationErrors)[K][number] | "validation_failed" | "storage_unavailable"

/**
 * Every code operation `name` can fail with, in the registry's order: its own (see
 * {@link operationErrors}) and those every operation can.
 *
 * @example
 * ```ts
 * import { operationErrorCodes } from "rmc-details"
 * operationErrorCodes("createKeyword") // [..., "forbidden", ..., "name_taken", ...]
 * ```
 */
export const operationErrorCodes = (name: OperationName): ReadonlyArray<RmcErrorCode> => {
  const codes = new Set<RmcErrorCode>(["validation_failed", "storage_unavailable", ...operationErrors[name]])
  return (Object.keys(rmcErrors) as Array<RmcErrorCode>).filter((code) => codes.has(code))
}
