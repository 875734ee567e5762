import { Effect } from "effect"
import type { ActivityEvent, ActivityType } from "../../domain/activity/activity-event"
import type { Principal } from "../../domain/shared/principal"
import { IdGenerator } from "../../ports/id-generator"

/**
 * Builds a domain event performed by `principal` at `at`.
 *
 * @example
 * ```ts
 * import { activityEvent } from "rmc-details"
 * const event = activityEvent({ tenantId: "acme", agentId: "alice", role: "agent" }, "2026-01-01T00:00:00.000Z",
 *   "note.added", { subjectId: "n-1", conversationId: null, contactId: null, after: { body: "Hi" } })
 * ```
 */
export const activityEvent = (
  principal: Principal,
  at: string,
  type: ActivityType,
  fields: {
    readonly subjectId: string
    readonly conversationId: string | null
    readonly contactId: string | null
    readonly before?: Record<string, unknown> | null
    readonly after?: Record<string, unknown> | null
  },
): Effect.Effect<ActivityEvent, never, IdGenerator> =>
  IdGenerator.use((ids) =>
    Effect.map(ids.next, (id) => ({
      id,
      tenantId: principal.tenantId,
      type,
      at,
      actorId: principal.agentId,
      actorRole: principal.role,
      subjectId: fields.subjectId,
      conversationId: fields.conversationId,
      contactId: fields.contactId,
      before: fields.before ?? null,
      after: fields.after ?? null,
    })),
  )
