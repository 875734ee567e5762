import { Effect } from "effect"
import type { Agent } from "../domain/agent/agent"
import { Storage } from "../ports/storage"
import { activityEvent } from "./support/activity"
import { agentDepartments } from "./support/agents"
import { currentTime } from "./support/now"
import { defineUseCase } from "./support/use-case"

/**
 * Adds an agent to the tenant's directory (admin), under the `agentId` its principal carries. Its
 * departments must be live departments of the tenant. An id the directory has already fails with
 * `NameTakenError` (entity `agent`): update or reactivate that agent instead.
 *
 * @example
 * ```ts
 * import { createAgent } from "rmc-details"
 * const program = createAgent({ tenantId: "acme", agentId: "root", role: "admin" }, { agentId: "bob", displayName: "Bob Martin" })
 * ```
 */
export const createAgent = defineUseCase("createAgent", (principal, input) =>
  Effect.gen(function* () {
    const storage = yield* Storage
    const now = yield* currentTime
    return yield* storage.transaction((r) =>
      Effect.gen(function* () {
        const agent: Agent = {
          tenantId: principal.tenantId,
          id: input.agentId,
          displayName: input.displayName,
          role: input.role,
          departmentIds: yield* agentDepartments(r, principal.tenantId, input.departmentIds),
          active: true,
          createdAt: now,
          updatedAt: now,
          version: 1,
        }
        yield* r.agents.insert(agent)
        yield* r.activity.append([
          yield* activityEvent(principal, now, "agent.created", {
            subjectId: agent.id,
            conversationId: null,
            contactId: null,
            after: { displayName: agent.displayName, role: agent.role, departmentIds: agent.departmentIds, active: true },
          }),
        ])
        return agent
      }),
    )
  }),
)
