import * as z from "zod"
import { ContactIdentity } from "../contact/contact-identity"
import { errorRegistry, RmcErrorClass } from "./error-class"

export type { AnyRmcErrorClass, ErrorClassFacts, ErrorFacts, ErrorFields, ErrorStatus, RmcErrorConstructor } from "./error-class"

/**
 * One problem found in an input: where (`path`) and what.
 *
 * @example
 * ```ts
 * import type { ValidationIssue } from "rmc-details"
 * const issue: ValidationIssue = { path: ["body"], message: "Too small" }
 * ```
 */
export interface ValidationIssue {
  readonly path: ReadonlyArray<string | number>
  readonly message: string
}

const validationIssue = z.object({ path: z.array(z.union([z.string(), z.number()])).readonly(), message: z.string() }).readonly()

/**
 * The input does not match its schema. Nothing was read or written.
 *
 * @example
 * ```ts
 * import { ValidationError } from "rmc-details"
 * new ValidationError({ message: "Invalid input", issues: [{ path: ["body"], message: "Required" }] })
 * ```
 */
export class ValidationError extends RmcErrorClass("ValidationError", {
  code: "validation_failed",
  status: 400,
  title: "Invalid input",
  fields: { issues: z.array(validationIssue).readonly() },
}) {}

/**
 * No principal could be resolved for a request (HTTP only).
 *
 * @example
 * ```ts
 * import { UnauthenticatedError } from "rmc-details"
 * new UnauthenticatedError({ message: "Missing credentials" })
 * ```
 */
export class UnauthenticatedError extends RmcErrorClass("UnauthenticatedError", {
  code: "unauthenticated",
  status: 401,
  title: "Authentication required",
  fields: {},
}) {}

/**
 * The principal's role does not allow the operation.
 *
 * @example
 * ```ts
 * import { ForbiddenError } from "rmc-details"
 * new ForbiddenError({ message: "Only supervisors manage keywords", operation: "createKeyword" })
 * ```
 */
export class ForbiddenError extends RmcErrorClass("ForbiddenError", {
  code: "forbidden",
  status: 403,
  title: "Forbidden",
  fields: { operation: z.string() },
}) {}

/**
 * Kinds of records that errors name.
 *
 * @example
 * ```ts
 * import type { EntityKind } from "rmc-details"
 * const kind: EntityKind = "conversation"
 * ```
 */
export type EntityKind = z.infer<typeof EntityKind>

/**
 * The schema of {@link EntityKind}, as problem documents carry it.
 *
 * @example
 * ```ts
 * import { EntityKind } from "rmc-details"
 * EntityKind.parse("note") // "note"
 * ```
 */
export const EntityKind = z.enum([
  "tenant",
  "contact",
  "conversation",
  "department",
  "note",
  "keyword",
  "label",
  "call",
  "webhook_subscription",
  "webhook_dead_letter",
  "attribute",
  "agent",
  "merge",
])

/**
 * The record does not exist in the principal's tenant. A record of another tenant is reported
 * the same way, so that its existence never leaks.
 *
 * @example
 * ```ts
 * import { NotFoundError } from "rmc-details"
 * new NotFoundError({ message: "conversation not found", entity: "conversation", id: "..." })
 * ```
 */
export class NotFoundError extends RmcErrorClass("NotFoundError", {
  code: "not_found",
  status: 404,
  title: "Not found",
  fields: { entity: EntityKind, id: z.string() },
}) {}

/**
 * Another record of the tenant already has this name (compared case- and accent-insensitively).
 *
 * @example
 * ```ts
 * import { NameTakenError } from "rmc-details"
 * new NameTakenError({ message: "label name taken", entity: "label", name: "Hot prospect" })
 * ```
 */
export class NameTakenError extends RmcErrorClass("NameTakenError", {
  code: "name_taken",
  status: 409,
  title: "Name taken",
  fields: { entity: EntityKind, name: z.string() },
}) {}

/**
 * The record changed since the caller read it (optimistic concurrency). Re-read and retry.
 *
 * @example
 * ```ts
 * import { VersionConflictError } from "rmc-details"
 * new VersionConflictError({ message: "stale", entity: "conversation", id: "...", expected: 3, actual: 4 })
 * ```
 */
export class VersionConflictError extends RmcErrorClass("VersionConflictError", {
  code: "version_conflict",
  status: 409,
  // A caller that sent If-Match asked for a precondition, and a stale version fails it.
  statusWithIfMatch: 412,
  title: "Version conflict",
  fields: { entity: EntityKind, id: z.string(), expected: z.number(), actual: z.number().nullable() },
}) {}

/**
 * The record is archived and can no longer be used for new assignments.
 *
 * @example
 * ```ts
 * import { ArchivedError } from "rmc-details"
 * new ArchivedError({ message: "department archived", entity: "department", id: "..." })
 * ```
 */
export class ArchivedError extends RmcErrorClass("ArchivedError", {
  code: "archived",
  status: 409,
  title: "Archived",
  fields: { entity: EntityKind, id: z.string() },
}) {}

/**
 * The tenant does not allow this contact type transformation (or the type is unknown).
 *
 * @example
 * ```ts
 * import { InvalidTransitionError } from "rmc-details"
 * new InvalidTransitionError({ message: "not allowed", from: "Client", to: "Lead" })
 * ```
 */
export class InvalidTransitionError extends RmcErrorClass("InvalidTransitionError", {
  code: "invalid_transition",
  status: 409,
  title: "Transition not allowed",
  fields: { from: z.string(), to: z.string() },
}) {}

/**
 * Names of the tenant policies that can refuse an operation.
 *
 * @example
 * ```ts
 * import type { PolicyName } from "rmc-details"
 * const policy: PolicyName = "note_before_transfer"
 * ```
 */
export type PolicyName = z.infer<typeof PolicyName>

/**
 * The schema of {@link PolicyName}, as problem documents carry it.
 *
 * @example
 * ```ts
 * import { PolicyName } from "rmc-details"
 * PolicyName.options // ["note_before_transfer", "note_before_department_change"]
 * ```
 */
export const PolicyName = z.enum(["note_before_transfer", "note_before_department_change"])

/**
 * A tenant policy refuses the operation, e.g. "a note is required before a transfer".
 *
 * @example
 * ```ts
 * import { PolicyViolationError } from "rmc-details"
 * new PolicyViolationError({ message: "add a note first", policy: "note_before_transfer" })
 * ```
 */
export class PolicyViolationError extends RmcErrorClass("PolicyViolationError", {
  code: "policy_violation",
  status: 422,
  title: "Policy violation",
  fields: { policy: PolicyName },
}) {}

/**
 * Why a transfer or a department change is refused by the tenant's routing rules: the target agent
 * is not in the directory, is deactivated or is not a member of the target department; the
 * conversation's department does not allow the target department; the target department is
 * closed and has no open fallback.
 *
 * @example
 * ```ts
 * import { TransferRefusal } from "rmc-details"
 * TransferRefusal.parse("department_closed")
 * ```
 */
export const TransferRefusal = z.enum(["unknown_agent", "inactive_agent", "agent_not_in_department", "department_not_allowed", "department_closed"])
/** @see {@link TransferRefusal} */
export type TransferRefusal = z.infer<typeof TransferRefusal>

/**
 * The tenant's routing rules refuse a transfer or a department change (`reason`, see
 * {@link TransferRefusal}); `target` is the agent id or department id refused. Nothing changed.
 *
 * @example
 * ```ts
 * import { TransferRefusedError } from "rmc-details"
 * new TransferRefusedError({ message: "bob is deactivated", reason: "inactive_agent", target: "bob" })
 * ```
 */
export class TransferRefusedError extends RmcErrorClass("TransferRefusedError", {
  code: "transfer_refused",
  status: 422,
  title: "Transfer refused",
  fields: { reason: TransferRefusal, target: z.string() },
}) {}

/**
 * A change of the tenant's contact-type catalog removes types that contacts still have, and names
 * no replacement for them: `inUse` says which types and how many contacts have each. Send
 * `replaceContactTypes` (removed type to a type of the new catalog) to move those contacts.
 *
 * @example
 * ```ts
 * import { ContactTypeInUseError } from "rmc-details"
 * new ContactTypeInUseError({ message: "12 contacts are Leads", inUse: [{ type: "Lead", contacts: 12 }] })
 * ```
 */
export class ContactTypeInUseError extends RmcErrorClass("ContactTypeInUseError", {
  code: "contact_type_in_use",
  status: 409,
  title: "Contact type in use",
  fields: { inUse: z.array(z.object({ type: z.string(), contacts: z.number().int().positive() })) },
}) {}

/**
 * A custom attribute value was refused: `unknown_key` (the tenant defines no attribute with this
 * key), `wrong_target` (the attribute is defined for the other kind of record), `wrong_type` (the
 * value does not fit the definition's type or options; `message` says what was expected) or
 * `required` (the change would leave a required attribute of the record without a value). Nothing
 * was written.
 *
 * @example
 * ```ts
 * import { AttributeInvalidError } from "rmc-details"
 * new AttributeInvalidError({ message: "seats: expected a finite number", key: "seats", reason: "wrong_type" })
 * ```
 */
export class AttributeInvalidError extends RmcErrorClass("AttributeInvalidError", {
  code: "attribute_invalid",
  status: 422,
  title: "Attribute value refused",
  fields: { key: z.string(), reason: z.enum(["unknown_key", "wrong_target", "wrong_type", "required"]) },
}) {}

/**
 * The contact has no phone number to call, or the requested number is not one of theirs.
 *
 * @example
 * ```ts
 * import { NoPhoneNumberError } from "rmc-details"
 * new NoPhoneNumberError({ message: "no phone number", contactId: "..." })
 * ```
 */
export class NoPhoneNumberError extends RmcErrorClass("NoPhoneNumberError", {
  code: "no_phone_number",
  status: 422,
  title: "No phone number",
  fields: { contactId: z.string() },
}) {}

/**
 * Another contact of the tenant already has this identity (a phone number, an e-mail address or a
 * channel handle, in its normalised form): `contactId` names that contact, the one to open, or to
 * merge with. Nothing was written.
 *
 * @example
 * ```ts
 * import { IdentityTakenError } from "rmc-details"
 * new IdentityTakenError({
 *   message: "phone +33612345678 belongs to another contact",
 *   identity: { kind: "phone", value: "+33612345678" },
 *   contactId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11",
 * })
 * ```
 */
export class IdentityTakenError extends RmcErrorClass("IdentityTakenError", {
  code: "identity_taken",
  status: 409,
  title: "Identity taken",
  fields: { identity: ContactIdentity, contactId: z.string() },
}) {}

/**
 * The idempotency key was already used for a different request.
 *
 * @example
 * ```ts
 * import { IdempotencyConflictError } from "rmc-details"
 * new IdempotencyConflictError({ message: "key reused", key: "k-1" })
 * ```
 */
export class IdempotencyConflictError extends RmcErrorClass("IdempotencyConflictError", {
  code: "idempotency_conflict",
  status: 409,
  title: "Idempotency key reused",
  fields: { key: z.string() },
}) {}

/**
 * The telephony system could not be reached or did not answer in time. No call was placed, or
 * its outcome is unknown (`outcome: "unknown"`): it is never placed twice for one idempotency key.
 *
 * @example
 * ```ts
 * import { TelephonyUnavailableError } from "rmc-details"
 * new TelephonyUnavailableError({ message: "timeout", outcome: "unknown" })
 * ```
 */
export class TelephonyUnavailableError extends RmcErrorClass("TelephonyUnavailableError", {
  code: "telephony_unavailable",
  status: 503,
  title: "Telephony unavailable",
  // "unknown" first: a client that cannot read the outcome must not assume the call was not placed.
  fields: { outcome: z.enum(["unknown", "not_placed"]) },
}) {}

/**
 * The telephony system refused the call (invalid number, no permission, blocked destination...).
 *
 * @example
 * ```ts
 * import { CallRejectedError } from "rmc-details"
 * new CallRejectedError({ message: "destination blocked", reason: "blocked" })
 * ```
 */
export class CallRejectedError extends RmcErrorClass("CallRejectedError", {
  code: "call_rejected",
  status: 422,
  title: "Call rejected",
  fields: { reason: z.string() },
}) {}

/**
 * The contact's personal data was erased (see `eraseContact`): nothing that would write personal
 * data about it again (a change of the contact, a new conversation, a note, an edit, a call, a
 * second erasure) is accepted. Its conversations keep their status, department and tags.
 *
 * @example
 * ```ts
 * import { ContactErasedError } from "rmc-details"
 * new ContactErasedError({ message: "contact 0193... was erased", contactId: "0193...", erasedAt: "2026-12-07T10:00:00.000Z" })
 * ```
 */
export class ContactErasedError extends RmcErrorClass("ContactErasedError", {
  code: "contact_erased",
  status: 410,
  title: "Contact erased",
  fields: { contactId: z.string(), erasedAt: z.string() },
}) {}

/**
 * The contact was merged into another one (see `mergeContacts`): it is a tombstone, read and
 * written no more; `mergedInto` is the contact it lives on as. HTTP status 410, like an erased
 * contact: the record is gone as such, even though an unmerge within the tenant's window can bring
 * it back.
 *
 * @example
 * ```ts
 * import { ContactMergedError } from "rmc-details"
 * new ContactMergedError({ message: "contact 0193... was merged", contactId: "0193...", mergedInto: "0194...", mergedAt: "2026-12-07T10:00:00.000Z" })
 * ```
 */
export class ContactMergedError extends RmcErrorClass("ContactMergedError", {
  code: "merged",
  status: 410,
  title: "Contact merged",
  fields: { contactId: z.string(), mergedInto: z.string(), mergedAt: z.string() },
}) {}

/**
 * Why a merge or an unmerge is refused: `same_contact` (a contact merged with itself),
 * `primary_merged` (the contact to merge into is a tombstone; for an unmerge, the primary was
 * merged into another contact since), `secondary_merged` (the contact to merge away is a tombstone
 * already), `chain` (the contact to merge away is the primary of a merge that can still be undone),
 * `already_unmerged` and `window_closed` (the merge was undone already, or its tenant's unmerge
 * window has passed).
 *
 * @example
 * ```ts
 * import { MergeRefusal } from "rmc-details"
 * MergeRefusal.parse("same_contact")
 * ```
 */
export const MergeRefusal = z.enum(["same_contact", "primary_merged", "secondary_merged", "chain", "already_unmerged", "window_closed"])
/** @see {@link MergeRefusal} */
export type MergeRefusal = z.infer<typeof MergeRefusal>

/**
 * A merge or an unmerge of contacts is refused, for `reason` (see {@link MergeRefusal}). Nothing
 * was written.
 *
 * @example
 * ```ts
 * import { MergeRefusedError } from "rmc-details"
 * new MergeRefusedError({ message: "a contact cannot be merged with itself", reason: "same_contact" })
 * ```
 */
export class MergeRefusedError extends RmcErrorClass("MergeRefusedError", {
  code: "merge_refused",
  status: 422,
  title: "Merge refused",
  fields: { reason: MergeRefusal },
}) {}

/**
 * Why a storage failed, when the store knows: `timeout` (a deadline passed: acquiring a connection,
 * a statement or a whole unit of work), `unavailable` (the database could not be reached or dropped
 * the connection), `conflict` (a deadlock, serialization failure or lock timeout that persisted
 * through the store's retries).
 *
 * @example
 * ```ts
 * import type { StorageFailure } from "rmc-details"
 * const retryLater = (reason: StorageFailure | undefined) => reason === "timeout" || reason === "conflict"
 * ```
 */
export type StorageFailure = "timeout" | "unavailable" | "conflict"

/**
 * The storage failed. The message is safe to show; the driver's error (which may hold SQL text)
 * is kept in `cause` for logs and never serialised. `reason` says why, when the store knows.
 *
 * @example
 * ```ts
 * import { StorageError } from "rmc-details"
 * new StorageError({ message: "database unavailable", reason: "unavailable", cause: new Error("ECONNREFUSED") })
 * ```
 */
export class StorageError extends RmcErrorClass("StorageError", {
  code: "storage_unavailable",
  // 500 for every reason, timeouts included: 503 and 504 speak of the server's availability and of
  // an upstream gateway, which clients and proxies act upon (taking the instance out of rotation);
  // a store failing one request is neither, and the problem says the request can be retried.
  status: 500,
  title: "Storage unavailable",
  // Nothing of a storage failure reaches a problem document: the message may name a driver's state.
  detail: "The request could not be completed; it can be retried.",
  fields: {},
})<{ readonly reason?: StorageFailure | undefined; readonly cause?: unknown }> {
  /** The cause stays out of JSON: it may hold SQL text or driver internals. */
  override toJSON(): unknown {
    return { _tag: this._tag, code: this.code, message: this.message }
  }
}

/**
 * Every error of the SDK, by its stable code: the one list that the code union, the error union,
 * {@link isRmcError}, HTTP statuses and titles, problem documents and the HTTP client's rebuilding
 * of typed errors are derived from. Look a code from elsewhere up with {@link errorClassOf}.
 *
 * @example
 * ```ts
 * import { rmcErrors } from "rmc-details"
 * rmcErrors.not_found.status // 404
 * ```
 */
export const rmcErrors = errorRegistry({
  validation_failed: ValidationError,
  unauthenticated: UnauthenticatedError,
  forbidden: ForbiddenError,
  not_found: NotFoundError,
  name_taken: NameTakenError,
  version_conflict: VersionConflictError,
  archived: ArchivedError,
  invalid_transition: InvalidTransitionError,
  policy_violation: PolicyViolationError,
  transfer_refused: TransferRefusedError,
  no_phone_number: NoPhoneNumberError,
  contact_type_in_use: ContactTypeInUseError,
  identity_taken: IdentityTakenError,
  attribute_invalid: AttributeInvalidError,
  idempotency_conflict: IdempotencyConflictError,
  telephony_unavailable: TelephonyUnavailableError,
  call_rejected: CallRejectedError,
  contact_erased: ContactErasedError,
  merged: ContactMergedError,
  merge_refused: MergeRefusedError,
  storage_unavailable: StorageError,
})

/**
 * Stable, documented codes of every error the SDK reports. They never change meaning between
 * versions; the HTTP adapter uses them as the `code` of its problem+json responses.
 *
 * @example
 * ```ts
 * import type { RmcErrorCode } from "rmc-details"
 * const code: RmcErrorCode = "not_found"
 * ```
 */
export type RmcErrorCode = keyof typeof rmcErrors

/**
 * The class of the SDK's errors of a code.
 *
 * @example
 * ```ts
 * import type { RmcErrorClassOf } from "rmc-details"
 * type NotFound = InstanceType<RmcErrorClassOf<"not_found">>
 * ```
 */
export type RmcErrorClassOf<Code extends RmcErrorCode> = (typeof rmcErrors)[Code]

/**
 * Every error an operation can fail with.
 *
 * @example
 * ```ts
 * import type { RmcError } from "rmc-details"
 * const describe = (e: RmcError) => `${e.code}: ${e.message}`
 * ```
 */
export type RmcError = InstanceType<(typeof rmcErrors)[RmcErrorCode]>

/**
 * The class of the SDK's errors of a code, or `undefined` for a code the SDK does not have. Codes
 * are looked up as own properties only: `constructor` or `__proto__` is an unknown code, never a
 * member of `Object.prototype`.
 *
 * @example
 * ```ts
 * import { errorClassOf } from "rmc-details"
 * errorClassOf("not_found")?.status // 404
 * errorClassOf("constructor") // undefined
 * ```
 */
export const errorClassOf = (code: string): RmcErrorClassOf<RmcErrorCode> | undefined =>
  Object.hasOwn(rmcErrors, code) ? rmcErrors[code as RmcErrorCode] : undefined

const byTag: ReadonlyMap<string, RmcErrorClassOf<RmcErrorCode>> = new Map(Object.values(rmcErrors).map((error) => [error.tag, error]))

/**
 * Whether a value is one of the SDK's errors: its `_tag` is one of theirs and its `code` the code
 * of that tag. The test is structural, so an error made by another copy of the package counts.
 *
 * @example
 * ```ts
 * import { isRmcError } from "rmc-details"
 * isRmcError(new Error("x")) // false
 * ```
 */
export const isRmcError = (u: unknown): u is RmcError => {
  if (typeof u !== "object" || u === null) return false
  const { _tag, code } = u as { _tag?: unknown; code?: unknown }
  return typeof _tag === "string" && typeof code === "string" && byTag.get(_tag)?.code === code
}
