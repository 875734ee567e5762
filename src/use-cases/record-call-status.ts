import { Effect } from "effect"
import { advancesCall, type CallAttempt } from "../domain/call/call-attempt"
import { NotFoundError } from "../domain/shared/errors"
import { Storage } from "../ports/storage"
import { activityEvent } from "./support/activity"
import { callerTime, currentTime } from "./support/now"
import { defineUseCase } from "./support/use-case"

/**
 * Applies a status report of the telephony system (ringing, answered, completed, failed, busy, no
 * answer) to a call attempt, found by the SDK's call id or the telephony system's. Telephony
 * webhooks arrive late, twice or out of order: a report that does not move the call forward (a
 * duplicate, "ringing" after "answered", anything after a final status) changes nothing and answers
 * the call as it is, so the sender can stop retrying. A report stamped more than `maxClockSkewMs`
 * (5 minutes) ahead of the clock is refused with a `ValidationError`.
 *
 * @example
 * ```ts
 * import { recordCallStatus } from "rmc-details"
 * const program = recordCallStatus({ tenantId: "acme", agentId: "voip-webhook", role: "supervisor" },
 *   { providerCallId: "c-981", status: "answered", at: "2026-03-01T10:00:05Z" })
 * ```
 */
export const recordCallStatus = defineUseCase("recordCallStatus", (principal, input) =>
  Effect.gen(function* () {
    const storage = yield* Storage
    const now = yield* currentTime
    const at = yield* callerTime(input.at, now, ["at"])
    return yield* storage.transaction((r) =>
      Effect.gen(function* () {
        const found =
          input.callId !== undefined
            ? yield* r.calls.get(principal.tenantId, input.callId)
            : yield* r.calls.findByProviderCallId(principal.tenantId, input.providerCallId ?? "")
        if (found === null || (input.providerCallId !== undefined && found.providerCallId !== input.providerCallId)) {
          const id = input.callId ?? input.providerCallId ?? ""
          return yield* new NotFoundError({ message: `call ${id} not found`, entity: "call", id })
        }
        if (!advancesCall(found.status, input.status)) return found
        const next: CallAttempt = {
          ...found,
          status: input.status,
          failureReason: input.status === "failed" || input.status === "busy" || input.status === "no_answer" ? (input.reason ?? input.status) : found.failureReason,
          updatedAt: now,
        }
        yield* r.calls.update(next)
        yield* r.activity.append([
          yield* activityEvent(principal, now, "call.status_changed", {
            subjectId: found.id,
            conversationId: found.conversationId,
            contactId: found.contactId,
            before: { status: found.status },
            after: { status: next.status, reason: input.reason ?? null, reportedAt: at },
          }),
        ])
        return next
      }),
    )
  }),
)
