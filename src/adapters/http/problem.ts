import { Data } from "effect"
import * as z from "zod"
import {
  ArchivedError,
  CallRejectedError,
  ForbiddenError,
  IdempotencyConflictError,
  InvalidTransitionError,
  isRmcError,
  NameTakenError,
  NoPhoneNumberError,
  NotFoundError,
  PolicyViolationError,
  type RmcError,
  StorageError,
  TelephonyUnavailableError,
  UnauthenticatedError,
  ValidationError,
  VersionConflictError,
} from "../../domain/shared/errors"

/**
 * An RFC 9457 problem document, as every error of the REST API is answered
 * (`application/problem+json`), with the SDK's stable `code` and the error's own fields.
 *
 * @example
 * ```ts
 * import { Problem } from "rmc-details/http"
 * Problem.parse({ type: "urn:rmc-details:problem:not_found", title: "Not found", status: 404, detail: "contact c-1 not found", code: "not_found" })
 * ```
 */
export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string(),
  })
  .catchall(z.unknown())
  .meta({ id: "Problem", description: "An RFC 9457 problem: `code` is stable, the other fields depend on it." })

/**
 * A problem document.
 *
 * @example
 * ```ts
 * import type { Problem } from "rmc-details/http"
 * const isConflict = (p: Problem) => p.status === 409
 * ```
 */
export type Problem = z.infer<typeof Problem>

/**
 * A failure of the HTTP exchange itself, seen by the client: the server could not be reached, did
 * not answer in time, the call was aborted, or the answer was not what the API promises. The
 * request may or may not have been carried out.
 *
 * @example
 * ```ts
 * import { HttpClientError } from "rmc-details/http"
 * new HttpClientError({ message: "Timed out after 5000 ms", reason: "timeout" })
 * ```
 */
export class HttpClientError extends Data.TaggedError("HttpClientError")<{
  readonly message: string
  readonly reason: "network" | "timeout" | "aborted" | "bad_response"
  readonly status?: number | undefined
}> {
  /** Stable code. */
  readonly code = "http_client" as const
}

/**
 * A protocol-level refusal of the server before any operation ran: body too large, wrong content
 * type, unknown route or method.
 *
 * @example
 * ```ts
 * import { HttpRequestError } from "rmc-details/http"
 * new HttpRequestError({ message: "The body is larger than 1048576 bytes", status: 413, code: "payload_too_large" })
 * ```
 */
export class HttpRequestError extends Data.TaggedError("HttpRequestError")<{
  readonly message: string
  readonly status: 400 | 404 | 405 | 413 | 415
  readonly code: "malformed_json" | "not_found" | "method_not_allowed" | "payload_too_large" | "unsupported_media_type"
}> {}

const titles: Record<string, string> = {
  validation_failed: "Invalid input",
  unauthenticated: "Authentication required",
  forbidden: "Forbidden",
  not_found: "Not found",
  name_taken: "Name taken",
  version_conflict: "Version conflict",
  archived: "Archived",
  invalid_transition: "Transition not allowed",
  policy_violation: "Policy violation",
  no_phone_number: "No phone number",
  idempotency_conflict: "Idempotency key reused",
  telephony_unavailable: "Telephony unavailable",
  call_rejected: "Call rejected",
  storage_unavailable: "Storage unavailable",
  malformed_json: "Malformed JSON",
  method_not_allowed: "Method not allowed",
  payload_too_large: "Payload too large",
  unsupported_media_type: "Unsupported media type",
}

const statuses: Record<RmcError["code"], number> = {
  validation_failed: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  name_taken: 409,
  version_conflict: 409,
  archived: 409,
  invalid_transition: 409,
  idempotency_conflict: 409,
  policy_violation: 422,
  no_phone_number: 422,
  call_rejected: 422,
  telephony_unavailable: 503,
  storage_unavailable: 500,
}

/**
 * The HTTP status of an error: 400 invalid input, 401, 403, 404, 409 for conflicts with the
 * current state (412 when the caller sent `If-Match`), 422 for a refusal by a rule (policy, no
 * phone number, call rejected), 503 when the telephony system is unavailable, 500 for storage.
 *
 * @example
 * ```ts
 * import { NotFoundError } from "rmc-details"
 * import { statusOf } from "rmc-details/http"
 * statusOf(new NotFoundError({ message: "x", entity: "note", id: "n" }), false) // 404
 * ```
 */
export const statusOf = (error: RmcError | HttpRequestError, withIfMatch: boolean): number =>
  error instanceof HttpRequestError ? error.status : error.code === "version_conflict" && withIfMatch ? 412 : statuses[error.code]

/**
 * The problem document of an error. A storage error says nothing of its cause.
 *
 * @example
 * ```ts
 * import { NotFoundError } from "rmc-details"
 * import { toProblem } from "rmc-details/http"
 * toProblem(new NotFoundError({ message: "note n-1 not found", entity: "note", id: "n-1" }), 404)
 * ```
 */
export const toProblem = (error: RmcError | HttpRequestError, status: number): Problem => {
  const code = String(error.code)
  const base = { type: `urn:rmc-details:problem:${code}`, title: Object.hasOwn(titles, code) ? titles[code]! : "Error", status, code }
  // A storage failure says nothing of its cause; other errors add their own fields (entity, id, issues...).
  if (error instanceof StorageError) return { ...base, detail: "The request could not be completed; it can be retried." }
  const fields = Object.fromEntries(Object.entries({ ...error }).filter(([key]) => key !== "_tag" && key !== "cause" && key !== "code"))
  return { ...base, detail: error.message, ...fields }
}

type Fields = Record<string, unknown>
const s = (f: Fields, key: string) => String(f[key] ?? "")
const rebuild: Record<string, (message: string, f: Fields) => RmcError> = {
  validation_failed: (message, f) => new ValidationError({ message, issues: (f.issues as ValidationError["issues"]) ?? [] }),
  unauthenticated: (message) => new UnauthenticatedError({ message }),
  forbidden: (message, f) => new ForbiddenError({ message, operation: s(f, "operation") }),
  not_found: (message, f) => new NotFoundError({ message, entity: s(f, "entity") as NotFoundError["entity"], id: s(f, "id") }),
  name_taken: (message, f) => new NameTakenError({ message, entity: s(f, "entity") as NameTakenError["entity"], name: s(f, "name") }),
  version_conflict: (message, f) =>
    new VersionConflictError({ message, entity: s(f, "entity") as VersionConflictError["entity"], id: s(f, "id"), expected: Number(f.expected), actual: Number(f.actual) }),
  archived: (message, f) => new ArchivedError({ message, entity: s(f, "entity") as ArchivedError["entity"], id: s(f, "id") }),
  invalid_transition: (message, f) => new InvalidTransitionError({ message, from: s(f, "from"), to: s(f, "to") }),
  policy_violation: (message) => new PolicyViolationError({ message, policy: "note_before_transfer" }),
  no_phone_number: (message, f) => new NoPhoneNumberError({ message, contactId: s(f, "contactId") }),
  idempotency_conflict: (message, f) => new IdempotencyConflictError({ message, key: s(f, "key") }),
  telephony_unavailable: (message, f) => new TelephonyUnavailableError({ message, outcome: f.outcome === "not_placed" ? "not_placed" : "unknown" }),
  call_rejected: (message, f) => new CallRejectedError({ message, reason: s(f, "reason") }),
  storage_unavailable: (message) => new StorageError({ message }),
}

/**
 * The typed error of a problem document, as the server raised it: the client rejects with the same
 * classes as the in-process API.
 *
 * @example
 * ```ts
 * import { errorFromProblem } from "rmc-details/http"
 * errorFromProblem({ type: "urn:rmc-details:problem:not_found", title: "Not found", status: 404, detail: "x", code: "not_found", entity: "note", id: "n" })
 * ```
 */
export const errorFromProblem = (problem: Problem): RmcError | HttpRequestError | HttpClientError => {
  // Codes come from the network: looked up as own properties only, so that a code such as
  // `constructor` or `__proto__` is an unknown code rather than a function of Object.prototype.
  if (Object.hasOwn(rebuild, problem.code)) return rebuild[problem.code]!(problem.detail, problem)
  if (Object.hasOwn(requestStatuses, problem.code) && requestStatuses[problem.code as HttpRequestError["code"]] === problem.status) {
    return new HttpRequestError({ message: problem.detail, status: problem.status as HttpRequestError["status"], code: problem.code as HttpRequestError["code"] })
  }
  return new HttpClientError({ message: problem.detail, reason: "bad_response", status: problem.status })
}

const requestStatuses: Record<HttpRequestError["code"], HttpRequestError["status"]> = {
  malformed_json: 400,
  not_found: 404,
  method_not_allowed: 405,
  payload_too_large: 413,
  unsupported_media_type: 415,
}

/**
 * Whether a value is an error the REST API answers with a problem document.
 *
 * @example
 * ```ts
 * import { isProblemError } from "rmc-details/http"
 * isProblemError(new Error("x")) // false
 * ```
 */
export const isProblemError = (u: unknown): u is RmcError | HttpRequestError => isRmcError(u) || u instanceof HttpRequestError
