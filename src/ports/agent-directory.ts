import { Context, type Effect, Layer } from "effect"
import type { Agent } from "../domain/agent/agent"
import type { StorageError } from "../domain/shared/errors"
import type { StorageRepositories } from "./storage"

/**
 * What a transfer needs to know of an agent: whether it is active and where it works, with the
 * name a picker shows.
 *
 * @example
 * ```ts
 * import type { DirectoryAgent } from "rmc-details"
 * const bob: DirectoryAgent = { id: "bob", displayName: "Bob", active: true, departmentIds: [] }
 * ```
 */
export type DirectoryAgent = Pick<Agent, "id" | "displayName" | "active" | "departmentIds">

/**
 * Where transfers look agents up. By default, the directory the SDK stores (the `agents` of the
 * storage port, managed with `createAgent`, `updateAgent`, `deactivateAgent`); an embedding product
 * that keeps its agents elsewhere provides its own with `AgentDirectory.layer` (or the `agentDirectory`
 * of `createRmc`).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import type { AgentDirectoryService } from "rmc-details"
 * const everyoneIsBob: AgentDirectoryService = {
 *   get: (_tenantId, id) => Effect.succeed(id === "bob" ? { id, displayName: "Bob", active: true, departmentIds: [] } : null),
 *   candidates: () => Effect.succeed([{ id: "bob", displayName: "Bob", active: true, departmentIds: [] }]),
 * }
 * ```
 */
export interface AgentDirectoryService {
  /** The tenant's agent with this id, or `null` when the directory does not know it. */
  get(tenantId: string, agentId: string): Effect.Effect<DirectoryAgent | null, StorageError>
  /**
   * Active agents of the tenant a conversation may go to, by id, at most `limit`: members of at
   * least one of `departmentIds`, or any active agent when it is `null`.
   */
  candidates(tenantId: string, departmentIds: ReadonlyArray<string> | null, limit: number): Effect.Effect<ReadonlyArray<DirectoryAgent>, StorageError>
}

/**
 * The agent directory port. Its default value, `null`, stands for the directory the SDK stores:
 * operations then read it in the same unit of work as the rest (see {@link storedAgentDirectory}).
 *
 * @example
 * ```ts
 * import { Effect, Layer } from "effect"
 * import { AgentDirectory, memoryStorage, rmcLayer } from "rmc-details"
 * const directory = { get: () => Effect.succeed(null), candidates: () => Effect.succeed([]) }
 * const layer = rmcLayer({ storage: memoryStorage(), agentDirectory: directory })
 * const effectLayer = Layer.merge(layer, AgentDirectory.layer(directory))
 * ```
 */
export const AgentDirectory = Object.assign(Context.Reference<AgentDirectoryService | null>("rmc-details/AgentDirectory", { defaultValue: () => null }), {
  /** The embedding product's own directory, in place of the stored one. */
  layer: (directory: AgentDirectoryService): Layer.Layer<never> => Layer.succeed(AgentDirectory, directory),
})

/**
 * The directory the SDK stores, read through the repositories of a unit of work.
 *
 * @example
 * ```ts
 * import { storedAgentDirectory, type StorageRepositories } from "rmc-details"
 * declare const repositories: StorageRepositories
 * const bob = storedAgentDirectory(repositories).get("acme", "bob")
 * ```
 */
export const storedAgentDirectory = (r: StorageRepositories): AgentDirectoryService => ({
  get: (tenantId, agentId) => r.agents.get(tenantId, agentId),
  candidates: (tenantId, departmentIds, limit) => r.agents.list(tenantId, { includeInactive: false, departmentIds: departmentIds ?? undefined, limit }),
})

/**
 * The directory in use: the embedding product's when it provided one, the stored one otherwise.
 *
 * @example
 * ```ts
 * import { agentDirectoryFor, type StorageRepositories } from "rmc-details"
 * declare const repositories: StorageRepositories
 * const directory = agentDirectoryFor(repositories)
 * ```
 */
export const agentDirectoryFor = (r: StorageRepositories): Effect.Effect<AgentDirectoryService> =>
  AgentDirectory.useSync((provided) => provided ?? storedAgentDirectory(r))
