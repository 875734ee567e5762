import { Effect } from "effect"
import type { Agent } from "../domain/agent/agent"
import { Storage } from "../ports/storage"
import { activityEvent } from "./support/activity"
import { agentDepartments } from "./support/agents"
import { expectVersion } from "./support/expect-version"
import { orNotFound } from "./support/find"
import { currentTime } from "./support/now"
import { defineUseCase } from "./support/use-case"

const fieldsOf = (a: Agent) => ({ displayName: a.displayName, role: a.role, departmentIds: a.departmentIds, active: a.active })

/**
 * Changes an agent of the directory (admin): its name, role, departments (live departments of the
 * tenant; the list given replaces the current one) or active state (`active: true` reactivates a
 * deactivated agent). A change that changes nothing writes nothing.
 *
 * @example
 * ```ts
 * import { updateAgent } from "rmc-details"
 * const program = updateAgent({ tenantId: "acme", agentId: "root", role: "admin" }, { agentId: "bob", role: "supervisor" })
 * ```
 */
export const updateAgent = defineUseCase("updateAgent", (principal, input) =>
  Effect.gen(function* () {
    const storage = yield* Storage
    const now = yield* currentTime
    return yield* storage.transaction((r) =>
      Effect.gen(function* () {
        const agent = yield* orNotFound("agent", input.agentId)(r.agents.get(principal.tenantId, input.agentId))
        yield* expectVersion("agent", agent.id, input.expectedVersion, agent.version)
        const departmentIds = input.departmentIds === undefined ? agent.departmentIds : yield* agentDepartments(r, principal.tenantId, input.departmentIds)
        const next: Agent = {
          ...agent,
          displayName: input.displayName ?? agent.displayName,
          role: input.role ?? agent.role,
          departmentIds,
          active: input.active ?? agent.active,
          updatedAt: now,
          version: agent.version + 1,
        }
        if (JSON.stringify(fieldsOf(next)) === JSON.stringify(fieldsOf(agent))) return agent
        yield* r.agents.update(next)
        yield* r.activity.append([
          yield* activityEvent(principal, now, "agent.updated", {
            subjectId: agent.id,
            conversationId: null,
            contactId: null,
            before: fieldsOf(agent),
            after: fieldsOf(next),
          }),
        ])
        return next
      }),
    )
  }),
)
