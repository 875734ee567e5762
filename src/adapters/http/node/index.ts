/**
 * Serving the SDK's fetch handlers on Node's `node:http`. Node only: on Bun, Deno and edge
 * runtimes, hand `handler.fetch` to the runtime instead.
 *
 * @example
 * ```ts
 * import { createRmc, memoryStorage } from "rmc-details"
 * import { createRmcHandler } from "rmc-details/http"
 * import { serveNode } from "rmc-details/http/node"
 * const handler = createRmcHandler({ rmc: createRmc({ storage: memoryStorage() }), authenticate: () => null })
 * const server = await serveNode(handler, { port: 3000 })
 * ```
 *
 * @module rmc-details/http/node
 */
export { type NodeServer, serveNode } from "./serve-node"
