import * as z from "zod"
import { EntityId, ExternalId } from "./ids"

/**
 * What a principal may do. `agent` works conversations; `supervisor` also manages the keyword and
 * label catalogs, the departments and other agents' notes; `admin` also configures the tenant.
 *
 * @example
 * ```ts
 * import { Role } from "rmc-details"
 * Role.parse("supervisor")
 * ```
 */
export const Role = z.enum(["agent", "supervisor", "admin"])
/** @see {@link Role} */
export type Role = z.infer<typeof Role>

/**
 * Who performs an operation. Every operation takes one and only ever reads or changes the data of
 * `tenantId`. The embedding product resolves it from its own authentication.
 *
 * @example
 * ```ts
 * import { Principal } from "rmc-details"
 * const alice = Principal.parse({ tenantId: "acme", agentId: "alice", role: "agent" })
 * ```
 */
export const Principal = z.object({
  tenantId: ExternalId,
  agentId: ExternalId,
  role: Role,
  /**
   * The departments the agent works in, as the embedding product's credential states them: what a
   * tenant's `department` visibility rules read (see `TenantVisibility`). None when absent.
   */
  departmentIds: z.array(EntityId).max(100).optional(),
})
/** @see {@link Principal} */
export type Principal = z.infer<typeof Principal>

/**
 * Whether `principal` holds `role` or a higher one.
 *
 * @example
 * ```ts
 * import { hasRole } from "rmc-details"
 * hasRole({ tenantId: "acme", agentId: "bob", role: "admin" }, "supervisor") // true
 * ```
 */
export const hasRole = (principal: Principal, role: Role): boolean => rank[principal.role] >= rank[role]

const rank: Record<Role, number> = { agent: 0, supervisor: 1, admin: 2 }
