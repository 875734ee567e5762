/**
 * The SDK over HTTP: a fetch-standard REST server with its OpenAPI document, a typed client that
 * implements the same Promise API, and telephony over HTTP.
 *
 * @example
 * ```ts
 * import { createRmc, memoryStorage } from "rmc-details"
 * import { createRmcHandler, serveNode } from "rmc-details/http"
 * const handler = createRmcHandler({ rmc: createRmc({ storage: memoryStorage() }), authenticate: () => null })
 * const server = await serveNode(handler, { port: 3000 })
 * ```
 *
 * @module rmc-details/http
 */
export * from "./routes"
export * from "./problem"
export * from "./coerce-query"
export * from "./read-body"
export * from "./openapi"
export * from "./rmc-handler"
export * from "./rmc-client"
export * from "./serve-node"
export * from "./telephony/http-telephony"
export * from "./webhook/call-status-webhook"
