import type { Transition } from "../shared/transition"
import { changedTo, unchanged } from "../shared/transition"
import type { Agent } from "./agent"

/**
 * The fields of a directory agent that `updateAgent` changes.
 *
 * @example
 * ```ts
 * import type { AgentChange } from "rmc-details"
 * const change: AgentChange = { displayName: "Bob", role: "supervisor", departmentIds: [], active: true }
 * ```
 */
export type AgentChange = Pick<Agent, "displayName" | "role" | "departmentIds" | "active">

const fieldsOf = (a: AgentChange): AgentChange => ({ displayName: a.displayName, role: a.role, departmentIds: a.departmentIds, active: a.active })

/**
 * What giving an agent the fields `change` at `at` does: when any differs, the agent takes them,
 * `updatedAt` and the next version, and the event records all four fields before and after; the
 * fields it already has change nothing.
 *
 * @example
 * ```ts
 * import { agentUpdateTransition, type Agent } from "rmc-details"
 * declare const agent: Agent
 * const t = agentUpdateTransition(agent, { ...agent, role: "supervisor" }, "2026-01-01T00:00:00.000Z")
 * ```
 */
export const agentUpdateTransition = (agent: Agent, change: AgentChange, at: string): Transition<Agent> => {
  const next: Agent = { ...agent, ...fieldsOf(change), updatedAt: at, version: agent.version + 1 }
  if (JSON.stringify(fieldsOf(next)) === JSON.stringify(fieldsOf(agent))) return unchanged
  return changedTo(next, { type: "agent.updated", subjectId: agent.id, conversationId: null, contactId: null, before: fieldsOf(agent), after: fieldsOf(next) })
}
