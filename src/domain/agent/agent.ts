import * as z from "zod"
import type { TransferRefusal } from "../shared/errors"
import { EntityId, ExternalId, Timestamp } from "../shared/ids"
import { Role } from "../shared/principal"
import { text } from "../shared/text"

/**
 * The id of an agent of the directory: an {@link ExternalId} with at least one character other
 * than `.`, so that it can stand as a URL path segment (`.` and `..` cannot).
 *
 * @example
 * ```ts
 * import { AgentId } from "rmc-details"
 * AgentId.parse("bob.martin")
 * ```
 */
export const AgentId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._:@-]*[A-Za-z0-9_:@-][A-Za-z0-9._:@-]*$/, "letters, digits and . _ : @ - only, not only dots")
/** @see {@link AgentId} */
export type AgentId = z.infer<typeof AgentId>

/**
 * An agent of the tenant's directory: `id` is the `agentId` its principal carries, `role` the role
 * the embedding product gives it (shown to whoever picks a transfer target; what a principal may do
 * is still decided by the role of the principal itself), `departmentIds` the departments it works
 * in, and `active` whether conversations may still be transferred to it. An agent is deactivated,
 * never deleted: past conversations keep naming it.
 *
 * @example
 * ```ts
 * import type { Agent } from "rmc-details"
 * const canTake = (a: Agent, departmentId: string) => a.active && a.departmentIds.includes(departmentId)
 * ```
 */
export const Agent = z
  .object({
    tenantId: ExternalId,
    id: ExternalId,
    displayName: text({ min: 1, max: 200 }),
    role: Role,
    departmentIds: z.array(EntityId).max(100),
    active: z.boolean(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    version: z.number().int().positive(),
  })
  .meta({ id: "Agent" })
/** @see {@link Agent} */
export type Agent = z.infer<typeof Agent>

/**
 * Why an agent cannot receive a transfer: not in the directory, deactivated, or not a member of the
 * department the conversation goes to.
 *
 * @example
 * ```ts
 * import type { AgentRefusal } from "rmc-details"
 * const reason: AgentRefusal = "inactive_agent"
 * ```
 */
export type AgentRefusal = Extract<TransferRefusal, "unknown_agent" | "inactive_agent" | "agent_not_in_department">

/**
 * Whether `agent` (as the directory answered it, `null` when it does not know it) may receive a
 * conversation that goes to `departmentId` (`null`: no department); the reason when it may not.
 * Membership is only checked when the conversation goes to a department.
 *
 * @example
 * ```ts
 * import { agentRefusal } from "rmc-details"
 * agentRefusal(null, null) // "unknown_agent"
 * ```
 */
export const agentRefusal = (agent: Pick<Agent, "active" | "departmentIds"> | null, departmentId: string | null): AgentRefusal | null =>
  agent === null
    ? "unknown_agent"
    : !agent.active
      ? "inactive_agent"
      : departmentId !== null && !agent.departmentIds.includes(departmentId)
        ? "agent_not_in_department"
        : null
