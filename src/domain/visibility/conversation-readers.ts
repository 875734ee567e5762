import type { Conversation } from "../conversation/conversation"
import type { Role } from "../shared/principal"
import type { TenantSettings } from "../tenant/tenant-settings"

/**
 * Who reads, as the visibility rules see a principal: its agent id, role and departments.
 * A `Principal` is one.
 *
 * @example
 * ```ts
 * import type { VisibilityReader } from "rmc-details"
 * const alice: VisibilityReader = { agentId: "alice", role: "agent", departmentIds: [] }
 * ```
 */
export interface VisibilityReader {
  readonly agentId: string
  readonly role: Role
  readonly departmentIds?: ReadonlyArray<string> | undefined
}

/**
 * Whether the conversation is in the agent's reach under a `department` rule: it is in none of the
 * tenant's departments (a shared queue), it is assigned to the agent, or its department is one of the
 * principal's `departmentIds`.
 *
 * @example
 * ```ts
 * import { inAgentsReach } from "rmc-details"
 * inAgentsReach({ agentId: "alice", departmentIds: [] }, { departmentId: null, assigneeId: null }) // true
 * ```
 */
export const inAgentsReach = (
  principal: { readonly agentId: string; readonly departmentIds?: ReadonlyArray<string> | undefined },
  conversation: Pick<Conversation, "departmentId" | "assigneeId">,
): boolean =>
  conversation.departmentId === null || conversation.assigneeId === principal.agentId || (principal.departmentIds ?? []).includes(conversation.departmentId)

/**
 * Whether the principal reads the conversation (and its history, activity and Details panel) under
 * the tenant's `visibility.history` rule. Supervisors and admins read every conversation of their
 * tenant. A conversation an agent does not read answers `not_found` to that agent, on every path.
 *
 * @example
 * ```ts
 * import { canReadConversation, defaultTenantSettings, type Principal } from "rmc-details"
 * const alice: Principal = { tenantId: "acme", agentId: "alice", role: "agent" }
 * const settings = { ...defaultTenantSettings("acme"), visibility: { notes: "all_agents", history: "department" } } as const
 * canReadConversation(alice, settings, { departmentId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11", assigneeId: null }) // false
 * ```
 */
export const canReadConversation = (
  principal: VisibilityReader,
  settings: Pick<TenantSettings, "visibility">,
  conversation: Pick<Conversation, "departmentId" | "assigneeId">,
): boolean => principal.role !== "agent" || settings.visibility.history === "all_agents" || inAgentsReach(principal, conversation)
