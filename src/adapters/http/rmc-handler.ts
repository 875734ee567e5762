import { type Context, Hono } from "hono"
import * as z from "zod"
import { bodyLimit } from "hono/body-limit"
import { cors } from "hono/cors"
import { methodNotAllowed } from "hono/method-not-allowed"
import type { Page } from "../../domain/shared/page"
import type { Principal } from "../../domain/shared/principal"
import { UnauthenticatedError, ValidationError } from "../../domain/shared/errors"
import { type OperationName, operations, type RmcApi } from "../../use-cases/catalog"
import { parseIfMatch, runIfMatch } from "./if-match"
import { ndjsonPages } from "./ndjson-pages"
import { openApiDocument, type OpenApiInfo } from "./openapi"
import { HttpRequestError, isProblemError, statusOf, toProblem } from "./problem"
import { queryReader } from "./query-reader"
import { inputInQuery, pathParameters, queryFields, type Route, readRouteOf, routes } from "./routes"

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
  /**
   * The challenge of the `WWW-Authenticate` header sent with every 401: `Bearer
   * realm="rmc-details"` by default.
   */
  readonly challenge?: { readonly scheme?: string | undefined; readonly realm?: string | undefined } | undefined
  /** Cross-origin access from browsers; off by default (no CORS header is sent). */
  readonly cors?: RmcCorsOptions | undefined
}

/**
 * Cross-origin access to the REST API from browsers (see {@link RmcHandlerOptions.cors}). A
 * preflight (`OPTIONS`) is answered 204 without authentication; the answers of an allowed origin
 * expose `ETag`, `Location`, `WWW-Authenticate` and `Allow` to its scripts.
 *
 * @example
 * ```ts
 * import type { RmcCorsOptions } from "rmc-details/http"
 * const cors: RmcCorsOptions = { origin: ["https://app.example.com"], credentials: true, maxAge: 600 }
 * ```
 */
export interface RmcCorsOptions {
  /**
   * The origins allowed: a list of exact origins (`https://app.example.com`), `"*"` for any origin
   * (not with `credentials`), or a function that returns the origin to allow, or `null` to refuse.
   */
  readonly origin: "*" | ReadonlyArray<string> | ((origin: string) => string | null | undefined | Promise<string | null | undefined>)
  /** Lets browsers send cookies and `Authorization` with their requests. */
  readonly credentials?: boolean | undefined
  /** How long, in seconds, a browser may cache a preflight's answer. */
  readonly maxAge?: number | undefined
  /** Request headers allowed besides the API's own (`Authorization`, `Content-Type`, `If-Match`, `Idempotency-Key`). */
  readonly allowHeaders?: ReadonlyArray<string> | undefined
  /** Response headers exposed besides `ETag`, `Location`, `WWW-Authenticate` and `Allow`. */
  readonly exposeHeaders?: ReadonlyArray<string> | undefined
}

/**
 * A fetch-standard handler (`Request -> Promise<Response>`) that serves every operation as a JSON
 * REST API, with the OpenAPI document at `/openapi.json`. It uses Web APIs only, so it runs on Node
 * (`serveNode` of `rmc-details/http/node`), Bun, Deno and edge runtimes.
 *
 * Errors are RFC 9457 `application/problem+json` documents with a stable `code`, never a stack
 * trace or SQL; a 401 carries `WWW-Authenticate`. Versioned resources carry a strong `ETag`
 * (`"3"`); `If-Match` sends the versions a change expects (or `*`, any version);
 * `Idempotency-Key` makes creations and calls safe to retry; a creation whose record has a route
 * of its own answers with its `Location`.
 *
 * @example
 * ```ts
 * import { createRmc, memoryStorage } from "rmc-details"
 * import { createRmcHandler } from "rmc-details/http"
 * const handler = createRmcHandler({
 *   rmc: createRmc({ storage: memoryStorage() }),
 *   authenticate: async (request) => (request.headers.get("authorization") === "Bearer demo" ? { tenantId: "acme", agentId: "alice", role: "agent" } : null),
 *   cors: { origin: ["https://app.example.com"] },
 * })
 * const response = await handler.fetch(new Request("http://localhost/departments", { headers: { authorization: "Bearer demo" } }))
 * ```
 */
export const createRmcHandler = (options: RmcHandlerOptions): FetchHandler => {
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024
  const challenge = challengeOf(options.challenge?.scheme ?? "Bearer", options.challenge?.realm ?? "rmc-details")
  const app = new Hono<{ Variables: { principal: Principal } }>().basePath(options.basePath ?? "")
  let document: unknown

  const problem = (error: unknown, withIfMatch = false, extraHeaders: Record<string, string> = {}): Response => {
    const known = isProblemError(error) ? error : null
    const status = known === null ? 500 : statusOf(known, withIfMatch)
    const body =
      known === null
        ? { type: "urn:rmc-details:problem:internal", title: "Internal error", status, detail: "The request could not be completed.", code: "internal" }
        : toProblem(known, status)
    const headers: Record<string, string> = { "content-type": "application/problem+json", ...extraHeaders }
    if (status === 401) headers["www-authenticate"] = challenge
    return new Response(JSON.stringify(body), { status, headers })
  }

  if (options.cors !== undefined) app.use(corsMiddleware(options.cors))
  app.use(
    methodNotAllowed({
      app,
      onMethodNotAllowed: (c, methods) =>
        problem(new HttpRequestError({ message: `${c.req.method} is not allowed on ${c.req.path}`, status: 405, code: "method_not_allowed" }), false, {
          allow: methods.join(", "),
        }),
    }),
  )

  app.get("/openapi.json", () => {
    document ??= openApiDocument({ ...options.openapi, serverUrl: options.openapi?.serverUrl ?? (options.basePath || undefined) })
    return Response.json(document)
  })

  // Authentication runs before the body is read: a stranger's body is never buffered.
  const authenticated = async (c: Context<{ Variables: { principal: Principal } }>, next: () => Promise<void>) => {
    const principal = await Promise.resolve(options.authenticate(c.req.raw)).catch(() => null)
    if (principal === null) return problem(new UnauthenticatedError({ message: "Authentication is required" }))
    c.set("principal", principal)
    await next()
  }
  const tooLarge = () => problem(new HttpRequestError({ message: `The body is larger than ${maxBodyBytes} bytes`, status: 413, code: "payload_too_large" }))
  const counted = bodyLimit({ maxSize: maxBodyBytes, onError: tooLarge })
  // A body of declared length is judged by its Content-Length (HTTP/1.1 framing delivers no more
  // than that), as hono's bodyLimit judges it too; only a streamed body goes through bodyLimit,
  // which counts bytes while reading. bodyLimit reaches for `request.body` first, and on Node that
  // makes @hono/node-server build a second, stream-backed Request and give up reading the body
  // straight from the socket: measured, that doubled the server's CPU time per POST.
  const limited = async (c: Context, next: () => Promise<void>) => {
    const declared = c.req.header("content-length")
    if (declared === undefined || c.req.header("transfer-encoding") !== undefined) return counted(c, next)
    // A length that is not digits cannot be trusted to frame the body: refused like one too large.
    if (!/^\d+$/.test(declared) || Number(declared) > maxBodyBytes) return tooLarge()
    await next()
  }

  for (const name of Object.keys(routes) as Array<OperationName>) {
    const route = routes[name]
    const inQuery = inputInQuery(route)
    const readQuery = queryReader(operations[name].input)
    // A body route reads only its query fields (the paging of a search) from the query string.
    const bodyQuery = queryFields(route)
    const shape = (operations[name].input as unknown as { shape?: Record<string, z.ZodType> }).shape ?? {}
    const readBodyQuery = queryReader(z.object(Object.fromEntries(bodyQuery.map((field) => [field, shape[field]!]))))
    const parameters = pathParameters(route)
    const location = locationOf(route, options.basePath ?? "")
    const path = route.path.replace(/\{(\w+)\}/g, ":$1")
    const handle = async (c: Context<{ Variables: { principal: Principal } }>) => {
      const request = c.req.raw
      const ifMatchHeader = route.ifMatch === true ? request.headers.get("if-match") : null
      try {
        const input: Record<string, unknown> = inQuery ? readQuery(c.req.queries()) : { ...(await bodyObject(c, bodyQuery)), ...readBodyQuery(c.req.queries()) }
        for (const [parameter, field] of parameters) setField(input, field, c.req.param(parameter) ?? "")
        if (route.idempotencyKey === true && request.headers.has("idempotency-key")) input.idempotencyKey = request.headers.get("idempotency-key")
        const api = options.rmc.as(c.get("principal")) as unknown as Record<string, (input: unknown) => Promise<unknown>>
        if (route.ndjson === true && (request.headers.get("accept") ?? "").includes("application/x-ndjson")) {
          // The first page is read before answering: a refusal is still a problem document.
          const first = (await api[name]!(input)) as Page<unknown>
          const next = (cursor: string) => api[name]!({ ...input, cursor }) as Promise<Page<unknown>>
          return new Response(ndjsonPages(first, next), { status: 200, headers: { "content-type": "application/x-ndjson" } })
        }
        const run = (expectedVersion: number | undefined) => api[name]!(expectedVersion === undefined ? input : { ...input, expectedVersion })
        const output = ifMatchHeader === null ? await run(undefined) : await runIfMatch(parseIfMatch(ifMatchHeader), run)
        const version = (output as { version?: unknown } | null)?.version
        // A plain object of headers, unlike hono's c.json with two headers, builds no Headers instance.
        const headers: Record<string, string> = { "content-type": "application/json" }
        if (typeof version === "number" && !Array.isArray(output)) headers.etag = `"${version}"`
        const id = (output as { id?: unknown } | null)?.id
        if (location !== undefined && typeof id === "string") headers.location = location(id)
        return new Response(JSON.stringify(output), { status: route.status, headers })
      } catch (error) {
        return problem(error, ifMatchHeader !== null)
      }
    }
    if (inQuery) app.on(route.method, path, authenticated, handle)
    else app.on(route.method, path, authenticated, limited, handle)
  }

  app.notFound((c) => problem(new HttpRequestError({ message: `No route ${c.req.path}`, status: 404, code: "not_found" })))
  app.onError((error) => problem(error))

  return { fetch: async (request) => app.fetch(request) }
}

// The methods and request headers the API uses; a preflight allows them.
const apiMethods = ["GET", "POST", "PUT", "PATCH", "DELETE"]
const apiRequestHeaders = ["Authorization", "Content-Type", "If-Match", "Idempotency-Key"]
const apiResponseHeaders = ["ETag", "Location", "WWW-Authenticate", "Allow"]

/** Where a creation's record can be read (see {@link readRouteOf}), if it can. */
const locationOf = (route: Route, basePath: string): ((id: string) => string) | undefined => {
  const read = readRouteOf(route)
  if (read === undefined) return undefined
  const [prefix] = read.path.split(/\{\w+\}$/)
  return (id) => `${basePath}${prefix}${encodeURIComponent(id)}`
}

const corsMiddleware = (options: RmcCorsOptions) => {
  if (options.credentials === true && options.origin === "*") {
    throw new TypeError('cors: credentials need a list of origins or a function, not "*" (browsers refuse both together)')
  }
  const { origin } = options
  return cors({
    origin: typeof origin === "function" ? async (requestOrigin) => (await origin(requestOrigin)) ?? null : typeof origin === "string" ? origin : [...origin],
    allowMethods: apiMethods,
    allowHeaders: [...apiRequestHeaders, ...(options.allowHeaders ?? [])],
    exposeHeaders: [...apiResponseHeaders, ...(options.exposeHeaders ?? [])],
    ...(options.credentials !== undefined && { credentials: options.credentials }),
    ...(options.maxAge !== undefined && { maxAge: options.maxAge }),
  })
}

const bodyObject = async (c: Context, queryOnly: ReadonlyArray<string>): Promise<Record<string, unknown>> => {
  const text = await c.req.text()
  if (text === "") return {}
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(c.req.header("content-type") ?? "")) {
    throw new HttpRequestError({ message: "The body must be application/json", status: 415, code: "unsupported_media_type" })
  }
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    throw new HttpRequestError({ message: "The body is not valid JSON", status: 400, code: "malformed_json" })
  }
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
    if (typeof next !== "object" || next === null) target[key] = {}
    target = target[key] as Record<string, unknown>
  }
  target[keys.at(-1)!] = value
}

// `<scheme> realm="<realm>"` (RFC 9110 11.6.1): the scheme a token, the realm a quoted-string with
// backslash and double quote escaped; a control character could split the header, so it is refused.
const challengeOf = (scheme: string, realm: string): string => {
  if (!/^[!#$%&'*+.^_`|~\w-]+$/.test(scheme)) throw new TypeError(`challenge: the scheme ${JSON.stringify(scheme)} is not an HTTP token`)
  if (/[\u0000-\u001f\u007f]|[^\u0000-\u00ff]/.test(realm))
    throw new TypeError(`challenge: the realm ${JSON.stringify(realm)} has a character a header cannot carry`)
  return `${scheme} realm="${realm.replace(/[\\"]/g, "\\$&")}"`
}
