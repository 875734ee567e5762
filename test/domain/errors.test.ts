import { Data, Effect } from "effect"
import { describe, expect, it } from "vitest"
import * as z from "zod"
import { errorRegistry, RmcErrorClass } from "../../src/domain/shared/error-class"
import * as errors from "../../src/domain/shared/errors"
import {
  ArchivedError,
  CallRejectedError,
  errorClassOf,
  ForbiddenError,
  IdempotencyConflictError,
  InvalidTransitionError,
  isRmcError,
  NameTakenError,
  NoPhoneNumberError,
  NotFoundError,
  PolicyViolationError,
  TransferRefusedError,
  type RmcError,
  type RmcErrorCode,
  rmcErrors,
  StorageError,
  TelephonyUnavailableError,
  UnauthenticatedError,
  ValidationError,
  VersionConflictError,
} from "../../src/domain/shared/errors"

// The contract, written out by hand: a change to any of these is a change of the public API and of
// the HTTP contract. Typed by RmcErrorCode, so that a new error must be added here too.
const contract = {
  validation_failed: { tag: "ValidationError", status: 400, title: "Invalid input", fields: ["issues"] },
  unauthenticated: { tag: "UnauthenticatedError", status: 401, title: "Authentication required", fields: [] },
  forbidden: { tag: "ForbiddenError", status: 403, title: "Forbidden", fields: ["operation"] },
  not_found: { tag: "NotFoundError", status: 404, title: "Not found", fields: ["entity", "id"] },
  name_taken: { tag: "NameTakenError", status: 409, title: "Name taken", fields: ["entity", "name"] },
  version_conflict: { tag: "VersionConflictError", status: 409, ifMatch: 412, title: "Version conflict", fields: ["entity", "id", "expected", "actual"] },
  archived: { tag: "ArchivedError", status: 409, title: "Archived", fields: ["entity", "id"] },
  invalid_transition: { tag: "InvalidTransitionError", status: 409, title: "Transition not allowed", fields: ["from", "to"] },
  policy_violation: { tag: "PolicyViolationError", status: 422, title: "Policy violation", fields: ["policy"] },
  transfer_refused: { tag: "TransferRefusedError", status: 422, title: "Transfer refused", fields: ["reason", "target"] },
  no_phone_number: { tag: "NoPhoneNumberError", status: 422, title: "No phone number", fields: ["contactId"] },
  contact_type_in_use: { tag: "ContactTypeInUseError", status: 409, title: "Contact type in use", fields: ["inUse"] },
  identity_taken: { tag: "IdentityTakenError", status: 409, title: "Identity taken", fields: ["identity", "contactId"] },
  attribute_invalid: { tag: "AttributeInvalidError", status: 422, title: "Attribute value refused", fields: ["key", "reason"] },
  idempotency_conflict: { tag: "IdempotencyConflictError", status: 409, title: "Idempotency key reused", fields: ["key"] },
  telephony_unavailable: { tag: "TelephonyUnavailableError", status: 503, title: "Telephony unavailable", fields: ["outcome"] },
  call_rejected: { tag: "CallRejectedError", status: 422, title: "Call rejected", fields: ["reason"] },
  contact_erased: { tag: "ContactErasedError", status: 410, title: "Contact erased", fields: ["contactId", "erasedAt"] },
  merged: { tag: "ContactMergedError", status: 410, title: "Contact merged", fields: ["contactId", "mergedInto", "mergedAt"] },
  merge_refused: { tag: "MergeRefusedError", status: 422, title: "Merge refused", fields: ["reason"] },
  storage_unavailable: { tag: "StorageError", status: 500, title: "Storage unavailable", fields: [] },
} satisfies Record<RmcErrorCode, { tag: string; status: number; ifMatch?: number; title: string; fields: Array<string> }>

describe("the registry of errors", () => {
  it("declares every error's code, tag, status, title and fields as the contract says", () => {
    expect(Object.keys(rmcErrors).sort()).toEqual(Object.keys(contract).sort())
    for (const [code, expected] of Object.entries(contract)) {
      const error = rmcErrors[code as RmcErrorCode]
      expect({ code: error.code, tag: error.tag, status: error.status, title: error.title }, code).toEqual({
        code,
        tag: expected.tag,
        status: expected.status,
        title: expected.title,
      })
      expect(error.statusWithIfMatch, code).toBe("ifMatch" in expected ? expected.ifMatch : undefined)
      expect(Object.keys(error.fields.shape), code).toEqual(expected.fields)
    }
  })

  it("holds every error class the module exports", () => {
    const classes = Object.values(errors).filter((value) => typeof value === "function" && "code" in value && "status" in value)
    expect(classes.length).toBe(Object.keys(contract).length)
    for (const error of classes) expect(errorClassOf((error as { code: string }).code)).toBe(error)
  })

  it("resolves only its own codes", () => {
    expect(errorClassOf("not_found")).toBe(NotFoundError)
    for (const code of ["constructor", "__proto__", "toString", "valueOf", "hasOwnProperty", "", "NotFoundError"])
      expect(errorClassOf(code), code).toBeUndefined()
  })

  it("refuses, at compile time, an error without a status or a title, or filed under another code", () => {
    // @ts-expect-error no status
    RmcErrorClass("NoStatusError", { code: "no_status", title: "No status", fields: {} })
    // @ts-expect-error no title
    RmcErrorClass("NoTitleError", { code: "no_title", status: 409, fields: {} })
    // @ts-expect-error a status that no SDK error answers with
    RmcErrorClass("TeapotError", { code: "teapot", status: 418, title: "Teapot", fields: {} })
    class PlainError extends Data.TaggedError("PlainError")<{ readonly message: string }> {
      readonly code = "plain" as const
    }
    // @ts-expect-error a class without the facts of an SDK error
    errorRegistry({ plain: PlainError })
    const noTitle = { tag: "NoTitleError", code: "no_title", status: 409, statusWithIfMatch: undefined, detail: undefined, fields: z.object({}) } as const
    // @ts-expect-error facts without a title
    errorRegistry({ no_title: Object.assign(class extends PlainError {}, noTitle) })
    // @ts-expect-error filed under another code than its own
    errorRegistry({ not_found: ArchivedError })
    expect(Object.keys(errorRegistry({ not_found: NotFoundError, archived: ArchivedError }))).toEqual(["not_found", "archived"])
  })
})

const samples: ReadonlyArray<RmcError> = [
  new ValidationError({ message: "Invalid input", issues: [{ path: ["body", 0], message: "Too small" }] }),
  new UnauthenticatedError({ message: "Missing credentials" }),
  new ForbiddenError({ message: "Only supervisors", operation: "createKeyword" }),
  new NotFoundError({ message: "note n-1 not found", entity: "note", id: "n-1" }),
  new NameTakenError({ message: "taken", entity: "label", name: "Hot" }),
  new VersionConflictError({ message: "stale", entity: "conversation", id: "c-1", expected: 3, actual: null }),
  new ArchivedError({ message: "archived", entity: "department", id: "d-1" }),
  new InvalidTransitionError({ message: "not allowed", from: "Client", to: "Lead" }),
  new PolicyViolationError({ message: "add a note first", policy: "note_before_transfer" }),
  new NoPhoneNumberError({ message: "no phone", contactId: "k-1" }),
  new IdempotencyConflictError({ message: "reused", key: "k" }),
  new TelephonyUnavailableError({ message: "timeout", outcome: "unknown" }),
  new CallRejectedError({ message: "blocked", reason: "blocked" }),
  new StorageError({ message: "database unavailable", reason: "timeout", cause: new Error("SELECT secret") }),
  new TransferRefusedError({ message: "bob is deactivated", reason: "inactive_agent", target: "bob" }),
]

describe("the error classes", () => {
  it.each(samples.map((error) => [error._tag, error] as const))("%s keeps instanceof, _tag, code and its fields", (_, error) => {
    const expected = contract[error.code]
    expect(error._tag).toBe(expected.tag)
    expect(error).toBeInstanceOf(rmcErrors[error.code])
    expect(error).toBeInstanceOf(Error)
    expect(isRmcError(error)).toBe(true)
    for (const field of expected.fields) expect(Object.hasOwn(error, field), field).toBe(true)
    expect(error.message.length).toBeGreaterThan(0)
  })

  it("is caught by tag in Effect", async () => {
    const caught = await Effect.runPromise(
      (Effect.fail(samples[3]!) as Effect.Effect<never, RmcError>).pipe(
        Effect.catchTag("NotFoundError", (error) => Effect.succeed(`${error.entity}/${error.id}`)),
        Effect.catchTag("StorageError", (error) => Effect.succeed(error.reason ?? "none")),
        Effect.orElseSucceed(() => "other"),
      ),
    )
    expect(caught).toBe("note/n-1")
    const yielded = await Effect.runPromise(
      Effect.gen(function* () {
        return yield* new StorageError({ message: "down", reason: "unavailable" })
      }).pipe(Effect.catchTag("StorageError", (error) => Effect.succeed(error.reason))),
    )
    expect(yielded).toBe("unavailable")
  })

  it("keeps a storage error's cause out of JSON", () => {
    const json = JSON.stringify(samples[13])
    expect(JSON.parse(json)).toEqual({ _tag: "StorageError", code: "storage_unavailable", message: "database unavailable" })
    expect(json).not.toContain("SELECT")
  })

  it("isRmcError wants a tag of the SDK with its own code", () => {
    expect(isRmcError({ _tag: "NotFoundError", code: "not_found" })).toBe(true)
    expect(isRmcError({ _tag: "NotFoundError", code: "archived" })).toBe(false)
    expect(isRmcError({ _tag: "constructor", code: "constructor" })).toBe(false)
    expect(isRmcError({ _tag: "__proto__", code: undefined })).toBe(false)
    expect(isRmcError(new Error("x"))).toBe(false)
    expect(isRmcError(null)).toBe(false)
    expect(isRmcError("NotFoundError")).toBe(false)
  })
})
