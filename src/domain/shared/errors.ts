import { Data } from "effect"

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
export type RmcErrorCode =
  | "validation_failed"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "name_taken"
  | "version_conflict"
  | "archived"
  | "invalid_transition"
  | "policy_violation"
  | "no_phone_number"
  | "idempotency_conflict"
  | "telephony_unavailable"
  | "call_rejected"
  | "storage_unavailable"

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

/**
 * The input does not match its schema. Nothing was read or written.
 *
 * @example
 * ```ts
 * import { ValidationError } from "rmc-details"
 * new ValidationError({ message: "Invalid input", issues: [{ path: ["body"], message: "Required" }] })
 * ```
 */
export class ValidationError extends Data.TaggedError("ValidationError")<{
  readonly message: string
  readonly issues: ReadonlyArray<ValidationIssue>
}> {
  /** Stable code. */
  readonly code = "validation_failed" as const
}

/**
 * No principal could be resolved for a request (HTTP only).
 *
 * @example
 * ```ts
 * import { UnauthenticatedError } from "rmc-details"
 * new UnauthenticatedError({ message: "Missing credentials" })
 * ```
 */
export class UnauthenticatedError extends Data.TaggedError("UnauthenticatedError")<{
  readonly message: string
}> {
  /** Stable code. */
  readonly code = "unauthenticated" as const
}

/**
 * The principal's role does not allow the operation.
 *
 * @example
 * ```ts
 * import { ForbiddenError } from "rmc-details"
 * new ForbiddenError({ message: "Only supervisors manage keywords", operation: "createKeyword" })
 * ```
 */
export class ForbiddenError extends Data.TaggedError("ForbiddenError")<{
  readonly message: string
  readonly operation: string
}> {
  /** Stable code. */
  readonly code = "forbidden" as const
}

/**
 * Kinds of records that errors name.
 *
 * @example
 * ```ts
 * import type { EntityKind } from "rmc-details"
 * const kind: EntityKind = "conversation"
 * ```
 */
export type EntityKind =
  | "tenant"
  | "contact"
  | "conversation"
  | "department"
  | "note"
  | "keyword"
  | "label"
  | "call"

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
export class NotFoundError extends Data.TaggedError("NotFoundError")<{
  readonly message: string
  readonly entity: EntityKind
  readonly id: string
}> {
  /** Stable code. */
  readonly code = "not_found" as const
}

/**
 * Another record of the tenant already has this name (compared case- and accent-insensitively).
 *
 * @example
 * ```ts
 * import { NameTakenError } from "rmc-details"
 * new NameTakenError({ message: "label name taken", entity: "label", name: "Hot prospect" })
 * ```
 */
export class NameTakenError extends Data.TaggedError("NameTakenError")<{
  readonly message: string
  readonly entity: EntityKind
  readonly name: string
}> {
  /** Stable code. */
  readonly code = "name_taken" as const
}

/**
 * The record changed since the caller read it (optimistic concurrency). Re-read and retry.
 *
 * @example
 * ```ts
 * import { VersionConflictError } from "rmc-details"
 * new VersionConflictError({ message: "stale", entity: "conversation", id: "...", expected: 3, actual: 4 })
 * ```
 */
export class VersionConflictError extends Data.TaggedError("VersionConflictError")<{
  readonly message: string
  readonly entity: EntityKind
  readonly id: string
  readonly expected: number
  readonly actual: number | null
}> {
  /** Stable code. */
  readonly code = "version_conflict" as const
}

/**
 * The record is archived and can no longer be used for new assignments.
 *
 * @example
 * ```ts
 * import { ArchivedError } from "rmc-details"
 * new ArchivedError({ message: "department archived", entity: "department", id: "..." })
 * ```
 */
export class ArchivedError extends Data.TaggedError("ArchivedError")<{
  readonly message: string
  readonly entity: EntityKind
  readonly id: string
}> {
  /** Stable code. */
  readonly code = "archived" as const
}

/**
 * The tenant does not allow this contact type transformation (or the type is unknown).
 *
 * @example
 * ```ts
 * import { InvalidTransitionError } from "rmc-details"
 * new InvalidTransitionError({ message: "not allowed", from: "Client", to: "Lead" })
 * ```
 */
export class InvalidTransitionError extends Data.TaggedError("InvalidTransitionError")<{
  readonly message: string
  readonly from: string
  readonly to: string
}> {
  /** Stable code. */
  readonly code = "invalid_transition" as const
}

/**
 * Names of the tenant policies that can refuse an operation.
 *
 * @example
 * ```ts
 * import type { PolicyName } from "rmc-details"
 * const policy: PolicyName = "note_before_transfer"
 * ```
 */
export type PolicyName = "note_before_transfer"

/**
 * A tenant policy refuses the operation, e.g. "a note is required before a transfer".
 *
 * @example
 * ```ts
 * import { PolicyViolationError } from "rmc-details"
 * new PolicyViolationError({ message: "add a note first", policy: "note_before_transfer" })
 * ```
 */
export class PolicyViolationError extends Data.TaggedError("PolicyViolationError")<{
  readonly message: string
  readonly policy: PolicyName
}> {
  /** Stable code. */
  readonly code = "policy_violation" as const
}

/**
 * The contact has no phone number to call, or the requested number is not one of theirs.
 *
 * @example
 * ```ts
 * import { NoPhoneNumberError } from "rmc-details"
 * new NoPhoneNumberError({ message: "no phone number", contactId: "..." })
 * ```
 */
export class NoPhoneNumberError extends Data.TaggedError("NoPhoneNumberError")<{
  readonly message: string
  readonly contactId: string
}> {
  /** Stable code. */
  readonly code = "no_phone_number" as const
}

/**
 * The idempotency key was already used for a different request.
 *
 * @example
 * ```ts
 * import { IdempotencyConflictError } from "rmc-details"
 * new IdempotencyConflictError({ message: "key reused", key: "k-1" })
 * ```
 */
export class IdempotencyConflictError extends Data.TaggedError("IdempotencyConflictError")<{
  readonly message: string
  readonly key: string
}> {
  /** Stable code. */
  readonly code = "idempotency_conflict" as const
}

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
export class TelephonyUnavailableError extends Data.TaggedError("TelephonyUnavailableError")<{
  readonly message: string
  readonly outcome: "not_placed" | "unknown"
}> {
  /** Stable code. */
  readonly code = "telephony_unavailable" as const
}

/**
 * The telephony system refused the call (invalid number, no permission, blocked destination...).
 *
 * @example
 * ```ts
 * import { CallRejectedError } from "rmc-details"
 * new CallRejectedError({ message: "destination blocked", reason: "blocked" })
 * ```
 */
export class CallRejectedError extends Data.TaggedError("CallRejectedError")<{
  readonly message: string
  readonly reason: string
}> {
  /** Stable code. */
  readonly code = "call_rejected" as const
}

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
export class StorageError extends Data.TaggedError("StorageError")<{
  readonly message: string
  readonly reason?: StorageFailure | undefined
  readonly cause?: unknown
}> {
  /** Stable code. */
  readonly code = "storage_unavailable" as const
  /** The cause stays out of JSON: it may hold SQL text or driver internals. */
  override toJSON(): unknown {
    return { _tag: this._tag, code: this.code, message: this.message }
  }
}

/**
 * Every error an operation can fail with.
 *
 * @example
 * ```ts
 * import type { RmcError } from "rmc-details"
 * const describe = (e: RmcError) => `${e.code}: ${e.message}`
 * ```
 */
export type RmcError =
  | ValidationError
  | UnauthenticatedError
  | ForbiddenError
  | NotFoundError
  | NameTakenError
  | VersionConflictError
  | ArchivedError
  | InvalidTransitionError
  | PolicyViolationError
  | NoPhoneNumberError
  | IdempotencyConflictError
  | TelephonyUnavailableError
  | CallRejectedError
  | StorageError

/**
 * Whether a value is one of the SDK's errors.
 *
 * @example
 * ```ts
 * import { isRmcError } from "rmc-details"
 * isRmcError(new Error("x")) // false
 * ```
 */
export const isRmcError = (u: unknown): u is RmcError =>
  typeof u === "object" && u !== null && "_tag" in u && "code" in u &&
  typeof (u as { _tag: unknown })._tag === "string" && (u as { _tag: string })._tag in errorTags

const errorTags: Record<RmcError["_tag"], true> = {
  ValidationError: true,
  UnauthenticatedError: true,
  ForbiddenError: true,
  NotFoundError: true,
  NameTakenError: true,
  VersionConflictError: true,
  ArchivedError: true,
  InvalidTransitionError: true,
  PolicyViolationError: true,
  NoPhoneNumberError: true,
  IdempotencyConflictError: true,
  TelephonyUnavailableError: true,
  CallRejectedError: true,
  StorageError: true,
}
