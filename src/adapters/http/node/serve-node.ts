import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { getRequestListener } from "@hono/node-server"
import type { FetchHandler } from "../rmc-handler"

/**
 * A fetch handler served on Node's `node:http`.
 *
 * @example
 * ```ts
 * import type { NodeServer } from "rmc-details/http/node"
 * const stop = (server: NodeServer) => server.close()
 * ```
 */
export interface NodeServer {
  /** The base URL, e.g. `http://127.0.0.1:3000`. */
  readonly url: string
  readonly server: Server
  /** Stops listening and closes open connections. */
  close(): Promise<void>
}

/**
 * Serves a fetch handler on `node:http` (port 0 picks a free port).
 *
 * @example
 * ```ts
 * import { createRmc, memoryStorage } from "rmc-details"
 * import { createRmcHandler } from "rmc-details/http"
 * import { serveNode } from "rmc-details/http/node"
 * const handler = createRmcHandler({ rmc: createRmc({ storage: memoryStorage() }), authenticate: () => null })
 * const server = await serveNode(handler, { port: 0 })
 * console.log(server.url)
 * await server.close()
 * ```
 */
export const serveNode = async (
  handler: FetchHandler,
  options: { readonly port?: number | undefined; readonly hostname?: string | undefined } = {},
): Promise<NodeServer> => {
  const server = createServer(getRequestListener((request) => handler.fetch(request)))
  const hostname = options.hostname ?? "127.0.0.1"
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(options.port ?? 0, hostname, () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://${hostname}:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error === undefined ? resolve() : reject(error)))
      }),
  }
}
