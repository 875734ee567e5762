import * as z from "zod"
import { createDocument } from "zod-openapi"
import { type OperationName, operations } from "../../use-cases/catalog"
import { Problem } from "./problem"
import { inputInQuery, pathParameters, queryFields, routes } from "./routes"

/**
 * What the OpenAPI document says of itself.
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

const problemResponse = (description: string) => ({ description, content: { "application/problem+json": { schema: Problem } } })

/**
 * The OpenAPI 3.1 document of the REST API, generated from the same zod schemas that validate
 * every request: never written by hand, never out of date.
 *
 * @example
 * ```ts
 * import { openApiDocument } from "rmc-details/http"
 * const document = openApiDocument({ title: "Details API" })
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
      header["Idempotency-Key"] = (name === "callContact" ? z.string() : z.string().optional()).meta({
        description: "Makes the request safe to retry: a retry with the same key answers the first result.",
      })
    }
    if (route.ifMatch === true) header["If-Match"] = z.string().optional().meta({ description: "The ETag last read: the change applies only to that version." })
    const requestParams: Record<string, z.ZodObject> = {
      ...(parameters.length > 0 && { path: z.object(Object.fromEntries(parameters.map(([parameter, field]) => [parameter, fieldAt(spec.input, field)]))) }),
      ...(inputInQuery(route) && Object.keys(rest).length > 0 && { query: z.object(rest) }),
      ...(queryFields(route).length > 0 && { query: z.object(Object.fromEntries(queryFields(route).map((field) => [field, rest[field]!]))) }),
      ...(Object.keys(header).length > 0 && { header: z.object(header) }),
    }
    const tag = route.path.split("/")[1] ?? "api"
    paths[route.path] ??= {}
    paths[route.path]![route.method.toLowerCase()] = {
      operationId: name,
      summary: spec.summary,
      tags: [tag],
      ...(Object.keys(requestParams).length > 0 && { requestParams }),
      ...(!inputInQuery(route) && {
        requestBody: {
          required: false,
          // Strict as the input is: a field it does not define is refused.
          content: { "application/json": { schema: z.strictObject(Object.fromEntries(Object.entries(rest).filter(([key]) => !queryFields(route).includes(key)))) } },
        },
      }),
      responses: {
        [String(route.status)]: {
          description: spec.summary,
          ...(spec.output instanceof z.ZodObject && "version" in spec.output.shape
            ? { headers: z.object({ ETag: z.string().meta({ description: "The version of the resource, for If-Match." }) }) }
            : {}),
          content: { "application/json": { schema: spec.output } },
        },
        "400": problemResponse("Invalid input"),
        "401": problemResponse("Authentication required"),
        default: problemResponse("Any other error, as a problem document with a stable `code`"),
      },
    }
  }
  return createDocument({
    openapi: "3.1.0",
    info: {
      title: info.title ?? "RMC Details API",
      version: info.version ?? "0.1.0",
      description: "The Details panel of a multi-channel message router: contacts, conversations, departments, notes, keywords, labels, calls.",
      license: { name: "MIT", identifier: "MIT" },
    },
    servers: [{ url: info.serverUrl ?? "/" }],
    security: [{ bearer: [] }],
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "The embedding product's own authentication." } } },
    tags: [...new Set(Object.values(routes).map((r) => r.path.split("/")[1]!))].map((name) => ({ name, description: `Operations on ${name}.` })),
    paths: paths as never,
  }) as unknown as OpenApiDocument
}
