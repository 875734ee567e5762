import { Effect } from "effect"
import type { Label } from "../domain/tagging/label"
import { activityEvent } from "./support/activity"
import { nameAvailable } from "./support/catalog-records"
import { orNotFound } from "./support/find"
import { idempotentCreation } from "./support/idempotent"
import { currentTime, nextId } from "./support/now"
import { defineUseCase } from "./support/use-case"

/**
 * Creates a label on the spot (any agent: labels describe the state of a conversation as agents meet
 * it), with a name, a colour and an optional description. With `applyTo`, the label is applied to
 * that conversation in the same transaction. Names are unique per tenant, ignoring case and accents.
 *
 * @example
 * ```ts
 * import { createLabel } from "rmc-details"
 * const program = createLabel({ tenantId: "acme", agentId: "alice", role: "agent" },
 *   { name: "Hot prospect", color: "#E11D48", applyTo: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11" })
 * ```
 */
export const createLabel = defineUseCase("createLabel", (principal, input) =>
  Effect.gen(function* () {
    const now = yield* currentTime
    const id = yield* nextId
    const { idempotencyKey, ...request } = input
    return yield* idempotentCreation(
      {
        tenantId: principal.tenantId,
        operation: "createLabel",
        key: idempotencyKey,
        request,
        now,
        entity: "label",
        reread: (r, id) => r.labels.get(principal.tenantId, id),
      },
      (r) =>
        Effect.gen(function* () {
          const normalizedName = yield* nameAvailable(r, "label", principal.tenantId, input.name, null)
          const conversation =
            input.applyTo === undefined ? null : yield* orNotFound("conversation", input.applyTo)(r.conversations.get(principal.tenantId, input.applyTo))
          const label: Label = {
            id,
            tenantId: principal.tenantId,
            name: input.name,
            normalizedName,
            color: input.color,
            description: input.description === undefined || input.description === "" ? null : input.description,
            createdBy: principal.agentId,
            createdAt: now,
            archivedAt: null,
          }
          yield* r.labels.insert(label)
          const events = [
            yield* activityEvent(principal, now, "label.created", {
              subjectId: id,
              conversationId: null,
              contactId: null,
              after: { name: label.name, color: label.color },
            }),
          ]
          if (conversation !== null) {
            yield* r.tagging.applyLabel(principal.tenantId, conversation.id, id, now)
            events.push(
              yield* activityEvent(principal, now, "label.applied", {
                subjectId: conversation.id,
                conversationId: conversation.id,
                contactId: conversation.contactId,
                after: { labelId: id },
              }),
            )
          }
          yield* r.activity.append(events)
          return label
        }),
    )
  }),
)
