import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import fc from "fast-check"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { createRmcClient, HttpRequestError, Problem, problemSchemas } from "../../../src/adapters/http"
import { errorFromProblem, statusOf, toProblem } from "../../../src/adapters/http/problem"
import {
  ArchivedError,
  AttributeInvalidError,
  CallRejectedError,
  ForbiddenError,
  IdempotencyConflictError,
  IdentityTakenError,
  InvalidTransitionError,
  NameTakenError,
  ContactErasedError,
  ContactMergedError,
  MergeRefusedError,
  ContactTypeInUseError,
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
} from "../../../src/domain/shared/errors"

const numRuns = Number(process.env.RMC_NUM_RUNS ?? 200)

// Each error and the exact problem document the API answers with, written out by hand.
const documents: ReadonlyArray<readonly [RmcError, Record<string, unknown>]> = [
  [
    new ValidationError({ message: "Invalid input", issues: [{ path: ["body", 0], message: "Too small" }] }),
    { status: 400, title: "Invalid input", code: "validation_failed", detail: "Invalid input", issues: [{ path: ["body", 0], message: "Too small" }] },
  ],
  [
    new UnauthenticatedError({ message: "Missing credentials" }),
    { status: 401, title: "Authentication required", code: "unauthenticated", detail: "Missing credentials" },
  ],
  [
    new ForbiddenError({ message: "no", operation: "createKeyword" }),
    { status: 403, title: "Forbidden", code: "forbidden", detail: "no", operation: "createKeyword" },
  ],
  [
    new NotFoundError({ message: "gone", entity: "note", id: "n-1" }),
    { status: 404, title: "Not found", code: "not_found", detail: "gone", entity: "note", id: "n-1" },
  ],
  [
    new NameTakenError({ message: "taken", entity: "label", name: "Hot" }),
    { status: 409, title: "Name taken", code: "name_taken", detail: "taken", entity: "label", name: "Hot" },
  ],
  [
    new VersionConflictError({ message: "stale", entity: "conversation", id: "c-1", expected: 3, actual: null }),
    { status: 409, title: "Version conflict", code: "version_conflict", detail: "stale", entity: "conversation", id: "c-1", expected: 3, actual: null },
  ],
  [
    new ArchivedError({ message: "old", entity: "department", id: "d-1" }),
    { status: 409, title: "Archived", code: "archived", detail: "old", entity: "department", id: "d-1" },
  ],
  [
    new InvalidTransitionError({ message: "no way", from: "Client", to: "Lead" }),
    { status: 409, title: "Transition not allowed", code: "invalid_transition", detail: "no way", from: "Client", to: "Lead" },
  ],
  [
    new PolicyViolationError({ message: "note first", policy: "note_before_transfer" }),
    { status: 422, title: "Policy violation", code: "policy_violation", detail: "note first", policy: "note_before_transfer" },
  ],
  [
    new TransferRefusedError({ message: "closed", reason: "department_closed", target: "d-1" }),
    { status: 422, title: "Transfer refused", code: "transfer_refused", detail: "closed", reason: "department_closed", target: "d-1" },
  ],
  [
    new NoPhoneNumberError({ message: "none", contactId: "k-1" }),
    { status: 422, title: "No phone number", code: "no_phone_number", detail: "none", contactId: "k-1" },
  ],
  [
    new ContactTypeInUseError({ message: "3 Leads", inUse: [{ type: "Lead", contacts: 3 }] }),
    { status: 409, title: "Contact type in use", code: "contact_type_in_use", detail: "3 Leads", inUse: [{ type: "Lead", contacts: 3 }] },
  ],
  [
    new IdentityTakenError({ message: "taken", identity: { kind: "phone", value: "+33612345678" }, contactId: "k-1" }),
    {
      status: 409,
      title: "Identity taken",
      code: "identity_taken",
      detail: "taken",
      identity: { kind: "phone", value: "+33612345678" },
      contactId: "k-1",
    },
  ],
  [
    new AttributeInvalidError({ message: "seats: expected a finite number", key: "seats", reason: "wrong_type" }),
    {
      status: 422,
      title: "Attribute value refused",
      code: "attribute_invalid",
      detail: "seats: expected a finite number",
      key: "seats",
      reason: "wrong_type",
    },
  ],
  [
    new IdempotencyConflictError({ message: "reused", key: "k" }),
    { status: 409, title: "Idempotency key reused", code: "idempotency_conflict", detail: "reused", key: "k" },
  ],
  [
    new TelephonyUnavailableError({ message: "down", outcome: "not_placed" }),
    { status: 503, title: "Telephony unavailable", code: "telephony_unavailable", detail: "down", outcome: "not_placed" },
  ],
  [
    new CallRejectedError({ message: "blocked", reason: "blocked" }),
    { status: 422, title: "Call rejected", code: "call_rejected", detail: "blocked", reason: "blocked" },
  ],
  [
    new ContactErasedError({ message: "erased", contactId: "k-1", erasedAt: "2026-12-07T10:00:00.000Z" }),
    { status: 410, title: "Contact erased", code: "contact_erased", detail: "erased", contactId: "k-1", erasedAt: "2026-12-07T10:00:00.000Z" },
  ],
  [
    new ContactMergedError({ message: "merged", contactId: "k-1", mergedInto: "k-2", mergedAt: "2026-12-07T10:00:00.000Z" }),
    { status: 410, title: "Contact merged", code: "merged", detail: "merged", contactId: "k-1", mergedInto: "k-2", mergedAt: "2026-12-07T10:00:00.000Z" },
  ],
  [
    new MergeRefusedError({ message: "same contact", reason: "same_contact" }),
    { status: 422, title: "Merge refused", code: "merge_refused", detail: "same contact", reason: "same_contact" },
  ],
  [
    new StorageError({ message: "connection to 10.0.0.7 refused", reason: "timeout", cause: new Error("SELECT secret") }),
    { status: 500, title: "Storage unavailable", code: "storage_unavailable", detail: "The request could not be completed; it can be retried." },
  ],
]

const problemOf = (error: RmcError, withIfMatch = false) => toProblem(error, statusOf(error, withIfMatch))

describe("problem documents of the registry's errors", () => {
  it("cover every code", () => {
    expect(documents.map(([error]) => error.code).sort()).toEqual(Object.keys(rmcErrors).sort())
  })

  it.each(documents.map(([error, document]) => [error.code, error, document] as const))("%s answers the document of the contract", (code, error, document) => {
    expect(problemOf(error)).toStrictEqual({ type: `urn:rmc-details:problem:${code}`, ...document })
    expect(problemSchemas[code as RmcErrorCode].parse(problemOf(error))).toStrictEqual(problemOf(error))
  })

  it("answers a stale version 412 when the caller sent If-Match, and the schema allows it", () => {
    const error = documents[5]![0]
    expect(statusOf(error, true)).toBe(412)
    expect(problemSchemas.version_conflict.parse(problemOf(error, true)).status).toBe(412)
    for (const [other] of documents) if (other.code !== "version_conflict") expect(statusOf(other, true), other.code).toBe(statusOf(other, false))
  })

  it("schemas refuse another code's document, a wrong status and a field of the wrong type", () => {
    expect(problemSchemas.not_found.safeParse(problemOf(documents[6]![0])).success).toBe(false)
    expect(problemSchemas.not_found.safeParse({ ...problemOf(documents[3]![0]), status: 409 }).success).toBe(false)
    expect(problemSchemas.not_found.safeParse({ ...problemOf(documents[3]![0]), title: "Gone" }).success).toBe(false)
    expect(problemSchemas.not_found.safeParse({ ...problemOf(documents[3]![0]), type: "about:blank" }).success).toBe(false)
    expect(problemSchemas.not_found.safeParse({ ...problemOf(documents[3]![0]), entity: "planet" }).success).toBe(false)
    expect(problemSchemas.storage_unavailable.safeParse({ ...problemOf(documents[13]![0]), detail: "connection to 10.0.0.7 refused" }).success).toBe(false)
  })

  it("protocol refusals keep their status and title", () => {
    const refusal = new HttpRequestError({ message: "too big", status: 413, code: "payload_too_large" })
    expect(toProblem(refusal, statusOf(refusal, false))).toStrictEqual({
      type: "urn:rmc-details:problem:payload_too_large",
      title: "Payload too large",
      status: 413,
      code: "payload_too_large",
      detail: "too big",
    })
  })

  it("rebuild the error they were made of, for any field values", () => {
    const text = fc.string({ maxLength: 40 })
    const entity = fc.constantFrom("tenant", "contact", "conversation", "department", "note", "keyword", "label", "call" as const)
    const error: fc.Arbitrary<RmcError> = fc.oneof(
      fc
        .record({ message: text, issues: fc.array(fc.record({ path: fc.array(fc.oneof(text, fc.nat())), message: text }), { maxLength: 3 }) })
        // fast-check's records have no prototype; the issues of an error are plain objects.
        .map((f) => new ValidationError({ message: f.message, issues: f.issues.map((issue) => ({ path: [...issue.path], message: issue.message })) })),
      fc.record({ message: text }).map((f) => new UnauthenticatedError(f)),
      fc.record({ message: text, operation: text }).map((f) => new ForbiddenError(f)),
      fc.record({ message: text, entity, id: text }).map((f) => new NotFoundError(f)),
      fc.record({ message: text, entity, name: text }).map((f) => new NameTakenError(f)),
      fc.record({ message: text, entity, id: text, expected: fc.nat(), actual: fc.option(fc.nat(), { nil: null }) }).map((f) => new VersionConflictError(f)),
      fc.record({ message: text, entity, id: text }).map((f) => new ArchivedError(f)),
      fc.record({ message: text, from: text, to: text }).map((f) => new InvalidTransitionError(f)),
      fc.record({ message: text }).map((f) => new PolicyViolationError({ ...f, policy: "note_before_transfer" })),
      fc.record({ message: text, contactId: text }).map((f) => new NoPhoneNumberError(f)),
      fc.record({ message: text, key: text }).map((f) => new IdempotencyConflictError(f)),
      fc.record({ message: text, outcome: fc.constantFrom("unknown", "not_placed" as const) }).map((f) => new TelephonyUnavailableError(f)),
      fc.record({ message: text, reason: text }).map((f) => new CallRejectedError(f)),
    )
    fc.assert(
      fc.property(error, fc.boolean(), (original, withIfMatch) => {
        const document = Problem.parse(JSON.parse(JSON.stringify(problemOf(original, withIfMatch))))
        expect(problemSchemas[original.code].safeParse(document).success).toBe(true)
        const rebuilt = errorFromProblem(document)
        expect(rebuilt).toBeInstanceOf(rmcErrors[original.code])
        expect({ ...rebuilt, message: rebuilt.message }).toStrictEqual({ ...original, message: original.message })
      }),
      { numRuns },
    )
  })

  it("a sparse or wrong field takes a neutral value, and undeclared fields are dropped", () => {
    const base = { type: "urn:x", title: "T", status: 409, detail: "stale", code: "version_conflict" }
    expect({ ...errorFromProblem({ ...base, entity: "note", id: "n", expected: 2 }) }).toStrictEqual({
      ...new VersionConflictError({ message: "stale", entity: "note", id: "n", expected: 2, actual: null }),
    })
    expect({ ...errorFromProblem({ ...base, code: "telephony_unavailable", outcome: "maybe", extra: 1 }) }).toStrictEqual({
      ...new TelephonyUnavailableError({ message: "stale", outcome: "unknown" }),
    })
    expect({ ...errorFromProblem({ ...base, code: "validation_failed", issues: "bad" }) }).toStrictEqual({
      ...new ValidationError({ message: "stale", issues: [] }),
    })
  })
})

describe("the client rebuilding the registry's errors over HTTP", () => {
  let answer: RmcError = documents[0]![0]
  let server: Server
  let baseUrl = ""
  beforeAll(async () => {
    server = createServer((_, response) => {
      const status = statusOf(answer, false)
      response.writeHead(status, { "content-type": "application/problem+json" })
      response.end(JSON.stringify(toProblem(answer, status)))
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve))
  })

  it.each(documents.map(([error]) => [error._tag, error] as const))("rejects with the %s the server raised", async (_, error) => {
    answer = error
    const rejection = await createRmcClient({ baseUrl })
      .listDepartments({})
      .then(
        () => expect.unreachable("the request should fail"),
        (reason: unknown) => reason,
      )
    expect(rejection).toBeInstanceOf(rmcErrors[error.code])
    if (error instanceof StorageError) {
      // Neither the message nor the reason nor the cause of a storage failure crosses the wire.
      expect({ ...(rejection as object) }).toStrictEqual({ ...new StorageError({ message: "The request could not be completed; it can be retried." }) })
    } else {
      expect({ ...(rejection as object), message: (rejection as Error).message }).toStrictEqual({ ...error, message: error.message })
    }
  })
})
