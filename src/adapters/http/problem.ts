import { Data } from "effect"
import * as z from "zod"
import type { ErrorStatus } from "../../domain/shared/error-class"
import { type AnyRmcErrorClass, errorClassOf, isRmcError, type RmcError, type RmcErrorCode, rmcErrors } from "../../domain/shared/errors"

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
 * The refusals of the protocol itself, before any operation ran: one line each.
 *
 * @internal
 */
export const protocolErrors = {
  malformed_json: { status: 400, title: "Malformed JSON" },
  not_found: { status: 404, title: "Not found" },
  method_not_allowed: { status: 405, title: "Method not allowed" },
  payload_too_large: { status: 413, title: "Payload too large" },
  unsupported_media_type: { status: 415, title: "Unsupported media type" },
} as const satisfies Record<string, { status: number; title: string }>

type ProtocolCode = keyof typeof protocolErrors

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
  readonly status: (typeof protocolErrors)[ProtocolCode]["status"]
  readonly code: ProtocolCode
}> {}

/**
 * The HTTP status of an error, as its class declares it: 400 invalid input, 401, 403, 404, 409 for
 * conflicts with the current state (412 when the caller sent `If-Match`), 422 for a refusal by a
 * rule (policy, no phone number, call rejected), 503 when the telephony system is unavailable, 500
 * for storage.
 *
 * @internal
 */
export const statusOf = (error: RmcError | HttpRequestError, withIfMatch: boolean): number => {
  if (error instanceof HttpRequestError) return error.status
  const facts = rmcErrors[error.code]
  return (withIfMatch ? facts.statusWithIfMatch : undefined) ?? facts.status
}

/**
 * The problem document of an error: its declared fields and nothing else (never a `cause`). An
 * error whose class declares a fixed detail (storage) shows that detail instead of its message.
 *
 * @internal
 */
export const toProblem = (error: RmcError | HttpRequestError, status: number): Problem => {
  if (error instanceof HttpRequestError) {
    return { type: problemType(error.code), title: protocolErrors[error.code].title, status, code: error.code, detail: error.message }
  }
  const facts: AnyRmcErrorClass = rmcErrors[error.code]
  const fields = Object.fromEntries(Object.keys(facts.fields.shape).map((key) => [key, (error as unknown as Record<string, unknown>)[key]]))
  return { type: problemType(error.code), title: facts.title, status, code: error.code, detail: facts.detail ?? error.message, ...fields }
}

const problemType = (code: string) => `urn:rmc-details:problem:${code}`

/**
 * The zod schema of the problem document of each of the SDK's errors, by code: `type`, `title`,
 * `status` and `code` are the error's own, `detail` a string, and the error's declared fields
 * follow. OpenAPI documents describe each operation's problems with them.
 *
 * @example
 * ```ts
 * import { problemSchemas } from "rmc-details/http"
 * problemSchemas.not_found.parse({ type: "urn:rmc-details:problem:not_found", title: "Not found", status: 404, detail: "note n-1 not found", code: "not_found", entity: "note", id: "n-1" })
 * ```
 */
export const problemSchemas = Object.fromEntries(
  Object.values(rmcErrors).map((facts: AnyRmcErrorClass) => {
    const statuses = facts.statusWithIfMatch === undefined ? [facts.status] : [facts.status, facts.statusWithIfMatch]
    const schema = z
      .object({
        type: z.literal(problemType(facts.code)),
        title: z.literal(facts.title),
        status: z.literal(statuses),
        detail: facts.detail === undefined ? z.string() : z.literal(facts.detail),
        code: z.literal(facts.code),
        ...facts.fields.shape,
      })
      .meta({ id: `${facts.tag.replace(/Error$/, "")}Problem`, description: `${facts.title}: the problem document of a \`${facts.code}\` error.` })
    return [facts.code, schema]
  }),
) as unknown as { readonly [Code in RmcErrorCode]: ProblemSchemaOf<Code> }

/**
 * The zod schema of the problem document of each protocol refusal, by code, as
 * {@link problemSchemas} has them for the SDK's errors (`HttpMalformedJsonProblem`...: the
 * protocol's `not_found`, an unknown route, is not the SDK's).
 *
 * @internal
 */
export const protocolProblemSchemas = Object.fromEntries(
  (Object.entries(protocolErrors) as Array<[ProtocolCode, (typeof protocolErrors)[ProtocolCode]]>).map(([code, facts]) => [
    code,
    z
      .object({ type: z.literal(problemType(code)), title: z.literal(facts.title), status: z.literal(facts.status), detail: z.string(), code: z.literal(code) })
      .meta({
        id: `Http${code.replace(/(?:^|_)(\w)/g, (_, letter: string) => letter.toUpperCase())}Problem`,
        description: `${facts.title}: a \`${code}\` refusal of the protocol.`,
      }),
  ]),
) as unknown as { readonly [Code in ProtocolCode]: z.ZodObject }

/**
 * The zod schema of the problem document of the SDK's errors of one code.
 *
 * @example
 * ```ts
 * import type { ProblemSchemaOf } from "rmc-details/http"
 * import type * as z from "zod"
 * type NotFoundProblem = z.infer<ProblemSchemaOf<"not_found">> // { code: "not_found"; entity: ...; id: string; ... }
 * ```
 */
export type ProblemSchemaOf<Code extends RmcErrorCode> = z.ZodObject<
  {
    type: z.ZodLiteral<`urn:rmc-details:problem:${Code}`>
    title: z.ZodLiteral<string>
    status: z.ZodType<ErrorStatus>
    detail: z.ZodType<string>
    code: z.ZodLiteral<Code>
  } & ((typeof rmcErrors)[Code]["fields"] extends z.ZodObject<infer Shape> ? Shape : never)
>

/**
 * The typed error of a problem document, as the server raised it: the client rejects with the same
 * classes as the in-process API. A declared field that the document lacks or gets wrong takes a
 * neutral value (an empty string or list, `null` where the field may be null, the first value of
 * an enumeration), so that a foreign server's sparse problem still rebuilds its error; fields the
 * error does not declare are ignored.
 *
 * @internal
 */
export const errorFromProblem = (problem: Problem): RmcError | HttpRequestError | HttpClientError => {
  // Codes come from the network: looked up as own properties only, so that a code such as
  // `constructor` or `__proto__` is an unknown code rather than a function of Object.prototype.
  const error = errorClassOf(problem.code)
  if (error !== undefined) {
    const fields = Object.fromEntries(
      Object.entries(error.fields.shape as Record<string, z.ZodType>).map(([key, schema]) => {
        const value = schema.safeParse(Object.hasOwn(problem, key) ? problem[key] : undefined)
        return [key, value.success ? value.data : neutral(schema)]
      }),
    )
    return new (error as unknown as new (args: Record<string, unknown>) => RmcError)({ message: problem.detail, ...fields })
  }
  if (Object.hasOwn(protocolErrors, problem.code) && protocolErrors[problem.code as ProtocolCode].status === problem.status) {
    return new HttpRequestError({ message: problem.detail, status: problem.status as HttpRequestError["status"], code: problem.code as ProtocolCode })
  }
  return new HttpClientError({ message: problem.detail, reason: "bad_response", status: problem.status })
}

// The value a client assumes for a declared field that a problem lacks or gets wrong.
const neutral = (schema: z.ZodType): unknown => {
  const def = (schema as unknown as { def: { type: string; innerType?: z.ZodType } }).def
  switch (def.type) {
    case "nullable":
      return null
    case "optional":
      return undefined
    case "readonly":
      return neutral(def.innerType!)
    case "array":
      return []
    case "number":
      return Number.NaN
    case "enum":
      return (schema as z.ZodEnum).options[0]
    default:
      return ""
  }
}

/**
 * Whether a value is an error the REST API answers with a problem document.
 *
 * @internal
 */
export const isProblemError = (u: unknown): u is RmcError | HttpRequestError => isRmcError(u) || u instanceof HttpRequestError
