import type { Transition } from "../shared/transition"
import { changedTo, unchanged } from "../shared/transition"
import type { Agent } from "./agent"

/**
 * What deactivating an agent at `at` does: an active agent becomes inactive and takes the next
 * version; an inactive one stays as it is.
 *
 * @example
 * ```ts
 * import { agentDeactivationTransition, type Agent } from "rmc-details"
 * declare const agent: Agent
 * const t = agentDeactivationTransition(agent, "2026-01-01T00:00:00.000Z")
 * ```
 */
export const agentDeactivationTransition = (agent: Agent, at: string): Transition<Agent> =>
  agent.active
    ? changedTo(
        { ...agent, active: false, updatedAt: at, version: agent.version + 1 },
        { type: "agent.deactivated", subjectId: agent.id, conversationId: null, contactId: null, before: { active: true }, after: { active: false } },
      )
    : unchanged
