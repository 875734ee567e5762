import * as z from "zod"
import { createDocument } from "zod-openapi"
import { type RmcErrorCode, rmcErrors } from "../../domain/shared/errors"
import { Role } from "../../domain/shared/principal"
import { type OperationName, operations } from "../../use-cases/catalog"
import { operationErrorCodes } from "../../use-cases/operation-errors"
import { atLeastOneOfKeys } from "../../use-cases/support/at-least-one-of"
import { operationExamples } from "./openapi-examples"
import { problemSchemas, protocolErrors, protocolProblemSchemas } from "./problem"
import { inputInQuery, pathParameters, queryFields, type Route, readRouteOf, routes } from "./routes"

/**
 * What the OpenAPI document says of itself. `serverUrl` is where the API is mounted: the handler
 * serves its document with its `basePath` there unless one is given.
 *
 * @example
 * ```ts
 * import type { OpenApiInfo } from "rmc-details/http"
 * const info: OpenApiInfo = { title: "Details API", version: "1.0.0", serverUrl: "https://rmc.example.com/api" }
 * ```
 */
export interface OpenApiInfo {
  readonly title?: string | undefined
  readonly version?: string | undefined
  readonly serverUrl?: string | undefined
}

/**
 * An OpenAPI 3.1 document, as JSON.
 *
 * @example
 * ```ts
 * import type { OpenApiDocument } from "rmc-details/http"
 * const operationCount = (d: OpenApiDocument) => Object.keys(d.paths ?? {}).length
 * ```
 */
export interface OpenApiDocument {
  readonly openapi: string
  readonly info: { readonly title: string; readonly version: string }
  readonly paths?: Record<string, Record<string, unknown>>
  readonly [key: string]: unknown
}

type Shape = Record<string, z.ZodType>
const shapeOf = (schema: z.ZodType): Shape => (schema as unknown as { shape?: Shape }).shape ?? {}

const fieldAt = (schema: z.ZodType, dotted: string): z.ZodType => {
  let current = schema
  for (const key of dotted.split(".")) current = shapeOf(current)[key]!
  return current
}

const pascal = (name: string) => name[0]!.toUpperCase() + name.slice(1)

// The handler's answer to a defect, an error that is none of the SDK's: not in the registry, since
// no operation means to fail with it, but a client must still be able to read it.
const InternalProblem = z
  .object({
    type: z.literal("urn:rmc-details:problem:internal"),
    title: z.literal("Internal error"),
    status: z.literal(500),
    detail: z.string(),
    code: z.literal("internal"),
  })
  .meta({ id: "InternalProblem", description: "An unexpected failure of the server: nothing of it is shown." })

type Answer = { readonly code: string; readonly schema: z.ZodType; readonly statuses: ReadonlyArray<number> }

// Every problem an operation's route can answer: the operation's own errors, authentication, and
// for a body the refusals of reading it. A stale version answers 412 instead of 409 to a caller
// that sent If-Match.
const answersOf = (name: OperationName, route: Route): ReadonlyArray<Answer> => {
  const own = ["unauthenticated" as const, ...operationErrorCodes(name)].map((code: RmcErrorCode): Answer => {
    const facts = rmcErrors[code]
    const statuses = route.ifMatch === true && facts.statusWithIfMatch !== undefined ? [facts.status, facts.statusWithIfMatch] : [facts.status]
    return { code, schema: problemSchemas[code], statuses }
  })
  const reading = inputInQuery(route) ? [] : (["malformed_json", "payload_too_large", "unsupported_media_type"] as const)
  return [
    ...own,
    ...reading.map((code) => ({ code, schema: protocolProblemSchemas[code], statuses: [protocolErrors[code].status] })),
    { code: "internal", schema: InternalProblem, statuses: [500] },
  ]
}

const problemResponses = (name: OperationName, route: Route) => {
  const byStatus = new Map<number, Array<Answer>>()
  for (const answer of answersOf(name, route)) for (const status of answer.statuses) byStatus.set(status, [...(byStatus.get(status) ?? []), answer])
  return Object.fromEntries(
    [...byStatus.entries()]
      .sort(([a], [b]) => a - b)
      .map(([status, answers]) => {
        const [first, ...more] = answers.map((answer) => answer.schema)
        return [
          String(status),
          {
            description: answers.map((answer) => `\`${answer.code}\``).join(", "),
            ...(status === 401 && { headers: z.object({ "WWW-Authenticate": challengeHeader }) }),
            content: { "application/problem+json": { schema: more.length === 0 ? first! : z.union([first!, ...more]) } },
          },
        ]
      }),
  )
}

// The headers of a success: the strong ETag of a versioned record, and the Location of a created one.
const successHeaders = (route: Route, output: z.ZodType) => {
  const headers: Shape = {}
  if (output instanceof z.ZodObject && "version" in output.shape) {
    headers.ETag = z.string().meta({ description: 'The version of the record as a strong entity tag, e.g. `"3"`: send it back in If-Match.', example: '"3"' })
  }
  const read = readRouteOf(route)
  if (read !== undefined)
    headers.Location = z.string().meta({ description: `Where the created record is read: \`${read.path}\` (under the API's mount path).` })
  return Object.keys(headers).length === 0 ? {} : { headers: z.object(headers) }
}

const challengeHeader = z.string().meta({
  description: 'The authentication scheme and realm to answer with, e.g. `Bearer realm="rmc-details"` (RFC 9110).',
  example: 'Bearer realm="rmc-details"',
})

const roleSentence = (name: OperationName) => {
  const minRole = operations[name].minRole
  const higher = Role.options.slice(Role.options.indexOf(minRole) + 1)
  return Role.options.indexOf(minRole) === 0
    ? `Needs the role \`${minRole}\` or higher: every authenticated caller.`
    : `Needs the role \`${minRole}\` or higher (${higher.map((role) => `\`${role}\``).join(", ")}); a lower role is answered 403 \`forbidden\`.`
}

// The JSON body of an operation: its input without what the path and the headers carry, as strict
// as the input, and with the input's "at least one of" rule as one branch per key that requires it.
const bodyOf = (name: OperationName, fields: Shape): z.ZodType | undefined => {
  if (Object.keys(fields).length === 0) return undefined
  const input = operations[name].input as unknown as z.ZodObject
  const base = input.def.catchall === undefined ? z.object(fields) : z.object(fields).catchall(input.def.catchall)
  const oneOf = atLeastOneOfKeys(input).filter((key) => key in fields)
  const example = operationExamples[name]?.body
  const meta = { id: `${pascal(name)}Input`, ...(example !== undefined && { examples: [example] }) }
  return oneOf.length === 0 ? base.meta(meta) : z.union(oneOf.map((key) => base.extend({ [key]: (fields[key] as z.ZodOptional).unwrap() }))).meta(meta)
}

const acceptsEmptyBody = (body: z.ZodType) => body.safeParse({}).success

/**
 * The OpenAPI 3.1 document of the REST API, generated from the same zod schemas that validate
 * every request: never written by hand, never out of date. Entities and request bodies are named
 * components (`Contact`, `AddNoteInput`...); every operation lists each status it can answer with
 * the problem documents of exactly the error codes it can fail with, and says the role it needs
 * (`x-required-role`).
 *
 * @example
 * ```ts
 * import { openApiDocument } from "rmc-details/http"
 * const document = openApiDocument({ title: "Details API", serverUrl: "/api/details" })
 * Object.keys(document.paths ?? {}).length
 * ```
 */
export const openApiDocument = (info: OpenApiInfo = {}): OpenApiDocument => {
  const paths: Record<string, Record<string, unknown>> = {}
  for (const name of Object.keys(routes) as Array<OperationName>) {
    const route = routes[name]
    const spec = operations[name]
    const parameters = pathParameters(route)
    const fromPath = new Set(parameters.map(([, field]) => field.split(".")[0]!))
    const rest = Object.fromEntries(
      Object.entries(shapeOf(spec.input)).filter(([key]) => !fromPath.has(key) && key !== "idempotencyKey" && !(route.ifMatch && key === "expectedVersion")),
    )
    const header: Shape = {}
    if (route.idempotencyKey === true) {
      const key = shapeOf(spec.input).idempotencyKey!
      header["Idempotency-Key"] = key.meta({
        description: "Makes the request safe to retry: a retry with the same key answers the first result.",
      })
    }
    if (route.ifMatch === true) {
      header["If-Match"] = z.string().optional().meta({
        description:
          'The ETag last read (`"3"`), a list of them (`"3", "4"`), or `*` for whatever the current version is. Compared strongly (RFC 9110): the change applies only to a listed version, else 412 `version_conflict`; a weak tag (`W/"3"`) never matches.',
        example: '"3"',
      })
    }
    const requestParams: Record<string, z.ZodObject> = {
      ...(parameters.length > 0 && { path: z.object(Object.fromEntries(parameters.map(([parameter, field]) => [parameter, fieldAt(spec.input, field)]))) }),
      ...(inputInQuery(route) && Object.keys(rest).length > 0 && { query: z.object(rest) }),
      ...(queryFields(route).length > 0 && { query: z.object(Object.fromEntries(queryFields(route).map((field) => [field, rest[field]!]))) }),
      ...(Object.keys(header).length > 0 && { header: z.object(header) }),
    }
    // The fields a body route reads from the query string are not in its body.
    const body = inputInQuery(route) ? undefined : bodyOf(name, Object.fromEntries(Object.entries(rest).filter(([key]) => !queryFields(route).includes(key))))
    const example = operationExamples[name]?.output
    const tag = route.path.split("/")[1] ?? "api"
    paths[route.path] ??= {}
    paths[route.path]![route.method.toLowerCase()] = {
      operationId: name,
      summary: spec.summary,
      description: `${spec.summary} ${roleSentence(name)}`,
      "x-required-role": spec.minRole,
      tags: [tag],
      ...(Object.keys(requestParams).length > 0 && { requestParams }),
      ...(body !== undefined && { requestBody: { required: !acceptsEmptyBody(body), content: { "application/json": { schema: body } } } }),
      responses: {
        [String(route.status)]: {
          description: spec.summary,
          ...successHeaders(route, spec.output),
          content: {
            "application/json": { schema: spec.output, ...(example !== undefined && { examples: { [name]: { value: example } } }) },
            // Every page's items, one JSON document per line, to a request that accepts it.
            ...(route.ndjson === true && {
              "application/x-ndjson": { schema: (spec.output as unknown as z.ZodObject<{ items: z.ZodArray<z.ZodType> }>).shape.items.element },
            }),
          },
        },
        ...problemResponses(name, route),
      },
    }
  }
  return createDocument({
    openapi: "3.1.0",
    info: {
      title: info.title ?? "RMC Details API",
      version: info.version ?? "0.1.0",
      description:
        "The Details panel of a multi-channel message router: contacts, conversations, departments, notes, keywords, labels, calls. Every error is an RFC 9457 problem (`application/problem+json`) whose `code` is stable; each operation lists the codes it can answer.",
      license: { name: "MIT", identifier: "MIT" },
    },
    servers: [{ url: info.serverUrl ?? "/" }],
    security: [{ bearer: [] }],
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "The embedding product's own authentication." } } },
    tags: [...new Set(Object.values(routes).map((r) => r.path.split("/")[1]!))].map((name) => ({ name, description: `Operations on ${name}.` })),
    paths: paths as never,
  }) as unknown as OpenApiDocument
}
