import { Effect } from "effect"
import { Storage } from "../ports/storage"
import { activityEvent } from "./support/activity"
import { expectVersion } from "./support/expect-version"
import { orNotFound } from "./support/find"
import { currentTime } from "./support/now"
import { defineUseCase } from "./support/use-case"

/**
 * Deactivates an agent of the directory (admin): once the tenant's routing has `knownAgentsOnly`,
 * no transfer goes to it any more, and the Details panel stops offering it. Its conversations stay
 * assigned to it until someone transfers them. Deactivating an inactive agent changes nothing;
 * `updateAgent` with `active: true` reactivates it.
 *
 * @example
 * ```ts
 * import { deactivateAgent } from "rmc-details"
 * const program = deactivateAgent({ tenantId: "acme", agentId: "root", role: "admin" }, { agentId: "bob" })
 * ```
 */
export const deactivateAgent = defineUseCase("deactivateAgent", (principal, input) =>
  Effect.gen(function* () {
    const storage = yield* Storage
    const now = yield* currentTime
    return yield* storage.transaction((r) =>
      Effect.gen(function* () {
        const agent = yield* orNotFound("agent", input.agentId)(r.agents.get(principal.tenantId, input.agentId))
        yield* expectVersion("agent", agent.id, input.expectedVersion, agent.version)
        if (!agent.active) return agent
        const next = { ...agent, active: false, updatedAt: now, version: agent.version + 1 }
        yield* r.agents.update(next)
        yield* r.activity.append([
          yield* activityEvent(principal, now, "agent.deactivated", {
            subjectId: agent.id,
            conversationId: null,
            contactId: null,
            before: { active: true },
            after: { active: false },
          }),
        ])
        return next
      }),
    )
  }),
)
