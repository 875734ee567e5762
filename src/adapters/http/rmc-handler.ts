import { Hono } from "hono"
import * as z from "zod"
import type { Principal } from "../../domain/shared/principal"
import { UnauthenticatedError, ValidationError } from "../../domain/shared/errors"
import { type OperationName, operations, type RmcApi } from "../../use-cases/catalog"
import { coerceQuery } from "./coerce-query"
import { openApiDocument, type OpenApiInfo } from "./openapi"
import { HttpRequestError, isProblemError, statusOf, toProblem } from "./problem"
import { readJsonBody } from "./read-body"
import { inputInQuery, pathParameters, queryFields, routes } from "./routes"

/**
 * A fetch-standard handler.
 *
 * @example
 * ```ts
 * import type { FetchHandler } from "rmc-details/http"
 * const health: FetchHandler = { fetch: async () => new Response("ok") }
 * ```
 */
export interface FetchHandler {
  /** Answers a request. */
  fetch(request: Request): Promise<Response>
}

/**
 * Options of {@link createRmcHandler}.
 *
 * @example
 * ```ts
 * import { createRmc, memoryStorage } from "rmc-details"
 * import type { RmcHandlerOptions } from "rmc-details/http"
 * const options: RmcHandlerOptions = {
 *   rmc: createRmc({ storage: memoryStorage() }),
 *   authenticate: () => ({ tenantId: "acme", agentId: "alice", role: "agent" }),
 * }
 * ```
 */
export interface RmcHandlerOptions {
  /** The SDK to serve: `createRmc(...)`, or anything that gives a principal its API. */
  readonly rmc: {
    /** The Promise API of a principal. */
    as(principal: Principal): RmcApi
  }
  /**
   * Resolves the principal of a request (tenant, agent, role) from the embedding product's own
   * authentication: a session, a token... `null` answers 401. Required: no route answers without it.
   */
  readonly authenticate: (request: Request) => Principal | null | Promise<Principal | null>
  /** The largest JSON body accepted, in bytes; 1 MiB by default. */
  readonly maxBodyBytes?: number | undefined
  /** Where the API is mounted, e.g. `/api/details`; `""` by default. */
  readonly basePath?: string | undefined
  /** Title, version and server URL of the OpenAPI document; the server URL is `basePath` unless given. */
  readonly openapi?: OpenApiInfo | undefined
}

/**
 * A fetch-standard handler (`Request -> Promise<Response>`) that serves every operation as a JSON
 * REST API, with the OpenAPI document at `/openapi.json`. It uses Web APIs only, so it runs on Node
 * (`serveNode` of `rmc-details/http/node`), Bun, Deno and edge runtimes.
 *
 * Errors are RFC 9457 `application/problem+json` documents with a stable `code`, never a stack
 * trace or SQL. Versioned resources carry an `ETag`; `If-Match` sends the version a change expects;
 * `Idempotency-Key` makes creations and calls safe to retry.
 *
 * @example
 * ```ts
 * import { createRmc, memoryStorage } from "rmc-details"
 * import { createRmcHandler } from "rmc-details/http"
 * const handler = createRmcHandler({
 *   rmc: createRmc({ storage: memoryStorage() }),
 *   authenticate: async (request) => (request.headers.get("authorization") === "Bearer demo" ? { tenantId: "acme", agentId: "alice", role: "agent" } : null),
 * })
 * const response = await handler.fetch(new Request("http://localhost/departments", { headers: { authorization: "Bearer demo" } }))
 * ```
 */
export const createRmcHandler = (options: RmcHandlerOptions): FetchHandler => {
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024
  const app = new Hono().basePath(options.basePath ?? "")
  let document: unknown

  const problem = (error: unknown, withIfMatch = false, extraHeaders: Record<string, string> = {}): Response => {
    const known = isProblemError(error) ? error : null
    const status = known === null ? 500 : statusOf(known, withIfMatch)
    const body =
      known === null
        ? { type: "urn:rmc-details:problem:internal", title: "Internal error", status, detail: "The request could not be completed.", code: "internal" }
        : toProblem(known, status)
    return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/problem+json", ...extraHeaders } })
  }

  app.get("/openapi.json", () => {
    document ??= openApiDocument({ ...options.openapi, serverUrl: options.openapi?.serverUrl ?? (options.basePath || undefined) })
    return Response.json(document)
  })

  for (const name of Object.keys(routes) as Array<OperationName>) {
    const route = routes[name]
    const schema = operations[name].input
    const inQuery = queryFields(route)
    const shape = (schema as unknown as { shape?: Record<string, z.ZodType> }).shape ?? {}
    const querySchema = z.object(Object.fromEntries(inQuery.map((field) => [field, shape[field]!])))
    const path = route.path.replace(/\{(\w+)\}/g, ":$1")
    app.on(route.method, path, async (c) => {
      const request = c.req.raw
      const withIfMatch = route.ifMatch === true && request.headers.has("if-match")
      try {
        const principal = await Promise.resolve(options.authenticate(request)).catch(() => null)
        if (principal === null) throw new UnauthenticatedError({ message: "Authentication is required" })
        const input: Record<string, unknown> = inputInQuery(route)
          ? coerceQuery(schema, c.req.query())
          : { ...(await bodyObject(request, maxBodyBytes, inQuery)), ...coerceQuery(querySchema, c.req.query()) }
        for (const [parameter, field] of pathParameters(route)) setField(input, field, c.req.param(parameter) ?? "")
        if (route.idempotencyKey === true && request.headers.has("idempotency-key")) input.idempotencyKey = request.headers.get("idempotency-key")
        if (withIfMatch) input.expectedVersion = versionOf(request.headers.get("if-match")!)
        const api = options.rmc.as(principal) as unknown as Record<string, (input: unknown) => Promise<unknown>>
        const output = await api[name]!(input)
        const headers: Record<string, string> = {}
        const version = (output as { version?: unknown } | null)?.version
        if (typeof version === "number" && !Array.isArray(output)) headers.etag = `W/"${version}"`
        return c.json(output as object, route.status, headers)
      } catch (error) {
        return problem(error, withIfMatch)
      }
    })
  }

  const patterns = Object.values(routes).map((route) => ({
    route,
    regex: new RegExp(`^${(options.basePath ?? "").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}${route.path.replace(/\{\w+\}/g, "[^/]+")}$`),
  }))
  app.notFound((c) => {
    const path = new URL(c.req.url).pathname
    const methods = [...new Set(patterns.filter((p) => p.regex.test(path)).map((p) => p.route.method))]
    if (methods.length === 0) return problem(new HttpRequestError({ message: `No route ${path}`, status: 404, code: "not_found" }))
    const message = `${c.req.method} is not allowed on ${path}`
    return problem(new HttpRequestError({ message, status: 405, code: "method_not_allowed" }), false, { allow: methods.join(", ") })
  })
  app.onError((error) => problem(error))

  return { fetch: async (request) => app.fetch(request) }
}

const bodyObject = async (request: Request, maxBytes: number, queryOnly: ReadonlyArray<string>): Promise<Record<string, unknown>> => {
  const body = await readJsonBody(request, maxBytes)
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new ValidationError({ message: "The body must be a JSON object", issues: [{ path: [], message: "expected an object" }] })
  }
  // A field of the query string sent in the body is refused rather than read in two places.
  const misplaced = queryOnly.filter((field) => Object.hasOwn(body, field))
  if (misplaced.length > 0) {
    throw new ValidationError({
      message: `${misplaced.join(", ")} goes in the query string, not in the body`,
      issues: misplaced.map((field) => ({ path: [field], message: "a query parameter of this route" })),
    })
  }
  return body as Record<string, unknown>
}

const setField = (input: Record<string, unknown>, field: string, value: string) => {
  const keys = field.split(".")
  let target = input
  for (const key of keys.slice(0, -1)) {
    const next = target[key]
    target = (typeof next === "object" && next !== null ? next : (target[key] = {})) as Record<string, unknown>
  }
  target[keys.at(-1)!] = value
}

const versionOf = (ifMatch: string): number => {
  const match = /^\s*(?:W\/)?"(\d+)"\s*$/.exec(ifMatch)
  if (match === null) {
    throw new ValidationError({ message: "If-Match must be an ETag of this API, like W/\"3\"", issues: [{ path: ["If-Match"], message: "not an ETag of this API" }] })
  }
  return Number(match[1])
}

