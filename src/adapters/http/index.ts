/**
 * The SDK over HTTP: a fetch-standard REST server with its OpenAPI document, a typed client that
 * implements the same Promise API, telephony over HTTP and the call-status webhook receiver. Web
 * APIs only (fetch, Web Crypto, streams), so it runs unchanged on Node, Bun, Deno and edge
 * runtimes; serving on Node's `node:http` lives in `rmc-details/http/node`.
 *
 * @example
 * ```ts
 * import { createRmc, memoryStorage } from "rmc-details"
 * import { createRmcHandler } from "rmc-details/http"
 * const handler = createRmcHandler({ rmc: createRmc({ storage: memoryStorage() }), authenticate: () => null })
 * export default { fetch: handler.fetch } // Bun, Deno, Cloudflare Workers
 * ```
 *
 * @module rmc-details/http
 */
export { createRmcHandler, type FetchHandler, type RmcCorsOptions, type RmcHandlerOptions } from "./rmc-handler"
export { createRmcClient, type RmcClientOptions } from "./rmc-client"
export { openApiDocument, type OpenApiDocument, type OpenApiInfo } from "./openapi"
export { HttpClientError, HttpRequestError, Problem, type ProblemSchemaOf, problemSchemas } from "./problem"
export { httpTelephony, makeHttpTelephony, type HttpTelephonyOptions } from "./telephony/http-telephony"
export { CallStatusReport, type CallStatusWebhookOptions, createCallStatusWebhook, signWebhook, type TenantWebhookSecrets } from "./webhook/call-status-webhook"
