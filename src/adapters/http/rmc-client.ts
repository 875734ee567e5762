import type * as z from "zod"
import { type OperationName, operations, type RmcApi } from "../../use-cases/catalog"
import { errorFromProblem, HttpClientError, Problem } from "./problem"
import { inputInQuery, pathParameters, routes } from "./routes"

/**
 * Options of {@link createRmcClient}.
 *
 * @example
 * ```ts
 * import type { RmcClientOptions } from "rmc-details/http"
 * const options: RmcClientOptions = { baseUrl: "https://rmc.example.com/api/details", headers: { authorization: "Bearer t0k3n" }, timeoutMs: 5000 }
 * ```
 */
export interface RmcClientOptions {
  /** Where the REST API is mounted. */
  readonly baseUrl: string
  /** Headers sent with every request (authentication). */
  readonly headers?: Record<string, string> | undefined
  /** Headers computed per request, e.g. a fresh token. */
  readonly getHeaders?: (() => Record<string, string> | Promise<Record<string, string>>) | undefined
  /** The fetch to use; the global one by default. */
  readonly fetch?: typeof fetch | undefined
  /** Gives up on a request after this many milliseconds; 10 seconds by default. */
  readonly timeoutMs?: number | undefined
  /** Aborts every pending and future request of this client. */
  readonly signal?: AbortSignal | undefined
}

const fieldAt = (input: Record<string, unknown>, dotted: string): unknown =>
  dotted.split(".").reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], input)

const withoutFields = (input: Record<string, unknown>, fields: ReadonlyArray<string>) =>
  Object.fromEntries(Object.entries(input).filter(([key]) => !fields.includes(key)))

/**
 * A typed HTTP client of the REST API that implements the same Promise API as `createRmc(...).as(...)`:
 * same methods, same types, and the same typed errors, rebuilt from the server's problem
 * documents. Network failures, timeouts and aborts reject with {@link HttpClientError}.
 *
 * @example
 * ```ts
 * import { createRmcClient } from "rmc-details/http"
 * const api = createRmcClient({ baseUrl: "http://127.0.0.1:3000", headers: { authorization: "Bearer acme:alice:agent" } })
 * const departments = await api.listDepartments({})
 * ```
 */
export const createRmcClient = (options: RmcClientOptions): RmcApi => {
  const base = options.baseUrl.replace(/\/+$/, "")
  const timeoutMs = options.timeoutMs ?? 10_000
  const call = async (name: OperationName, raw: unknown): Promise<unknown> => {
    const route = routes[name]
    const input = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>
    let path = route.path
    const used: Array<string> = []
    for (const [parameter, field] of pathParameters(route)) {
      path = path.replace(`{${parameter}}`, encodeURIComponent(String(fieldAt(input, field) ?? "")))
      used.push(field.split(".")[0]!)
    }
    const headers: Record<string, string> = { accept: "application/json", ...options.headers, ...(await options.getHeaders?.()) }
    if (route.idempotencyKey === true && typeof input.idempotencyKey === "string") {
      headers["idempotency-key"] = input.idempotencyKey
      used.push("idempotencyKey")
    }
    if (route.ifMatch === true && typeof input.expectedVersion === "number") {
      headers["if-match"] = `"${input.expectedVersion}"`
      used.push("expectedVersion")
    }
    const rest = withoutFields(input, used)
    let url = `${base}${path}`
    let body: string | undefined
    if (inputInQuery(route)) {
      // The server refuses unknown query parameters; the in-process API ignores unknown fields, and
      // so does the client, by sending only the fields of the operation's input.
      const shape = (operations[name].input as unknown as { shape?: Record<string, unknown> }).shape ?? {}
      const query = new URLSearchParams()
      for (const [key, value] of Object.entries(rest)) {
        if (value === undefined || !Object.hasOwn(shape, key)) continue
        // An array travels as the parameter repeated, one element each, as the server reads it.
        for (const element of Array.isArray(value) ? value : [value]) query.append(key, element instanceof Date ? element.toISOString() : String(element))
      }
      if ([...query.keys()].length > 0) url += `?${query.toString()}`
    } else {
      body = JSON.stringify(rest)
      headers["content-type"] = "application/json"
    }
    const signal = AbortSignal.any([AbortSignal.timeout(timeoutMs), ...(options.signal === undefined ? [] : [options.signal])])
    let response: Response
    try {
      response = await (options.fetch ?? fetch)(url, { method: route.method, headers, ...(body !== undefined && { body }), signal })
    } catch (error) {
      throw transportError(error, timeoutMs, options.signal)
    }
    const text = await response.text().catch((error: unknown) => {
      throw transportError(error, timeoutMs, options.signal)
    })
    const json = parse(text)
    if (!response.ok) {
      const problem = Problem.safeParse(json)
      throw problem.success
        ? errorFromProblem(problem.data)
        : new HttpClientError({ message: `The server answered ${response.status} without a problem document`, reason: "bad_response", status: response.status })
    }
    const output = (operations[name].output as z.ZodType).safeParse(json)
    if (!output.success) throw new HttpClientError({ message: "The server's answer does not match the API", reason: "bad_response", status: response.status })
    return output.data
  }
  return Object.fromEntries((Object.keys(operations) as Array<OperationName>).map((name) => [name, (input: unknown) => call(name, input)])) as unknown as RmcApi
}

const parse = (text: string): unknown => {
  try {
    return text === "" ? null : (JSON.parse(text) as unknown)
  } catch {
    return undefined
  }
}

const transportError = (error: unknown, timeoutMs: number, signal: AbortSignal | undefined): HttpClientError => {
  if (signal?.aborted === true) return new HttpClientError({ message: "The request was aborted", reason: "aborted" })
  if ((error as { name?: string })?.name === "TimeoutError") return new HttpClientError({ message: `No answer within ${timeoutMs} ms`, reason: "timeout" })
  return new HttpClientError({ message: "The server could not be reached", reason: "network" })
}
