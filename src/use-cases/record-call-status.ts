import { Effect } from "effect"
import { advancesCall, type CallAttempt, maxFailureReasonLength, truncateText } from "../domain/call/call-attempt"
import { NotFoundError } from "../domain/shared/errors"
import { Storage } from "../ports/storage"
import { activityEvent } from "./support/activity"
import { callerTime, currentTime } from "./support/now"
import { storedProviderCallId } from "./support/provider-call-id"
import { defineUseCase } from "./support/use-case"

/**
 * Applies a status report of the telephony system (ringing, answered, completed, failed, busy, no
 * answer) to a call attempt, found by the SDK's call id or the telephony system's. Telephony
 * webhooks arrive late, twice or out of order: a report that does not move the call forward (a
 * duplicate, "ringing" after "answered", anything after a final status) changes nothing and answers
 * the call as it is, so the sender can stop retrying. Reports are applied one at a time per call
 * (the call is read locked), so two reports at once never overwrite each other. A report by both
 * ids that arrives while the dial runs gives the call its telephony id. A telephony id of any
 * length matches (long ones through their digest, as `callContact` stores them); a reason is cut
 * to `maxFailureReasonLength` characters. A report stamped more than
 * `maxClockSkewMs` (5 minutes) ahead of the clock is refused with a `ValidationError`.
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
    const providerCallId = input.providerCallId === undefined ? undefined : yield* storedProviderCallId(input.providerCallId)
    const reason = input.reason === undefined ? undefined : truncateText(input.reason, maxFailureReasonLength)
    return yield* storage.transaction((r) =>
      Effect.gen(function* () {
        const found =
          input.callId !== undefined
            ? yield* r.calls.get(principal.tenantId, input.callId)
            : yield* r.calls.findByProviderCallId(principal.tenantId, providerCallId ?? "")
        // Read again, locked: two reports at once (or a report and the end of the dial) apply one
        // after the other, each to what the other left.
        const call = found === null ? null : yield* r.calls.getLocked(principal.tenantId, found.id, "update")
        // A report by both ids while the dial runs may come before the dial's answer gave the call its telephony id.
        if (call === null || (providerCallId !== undefined && call.providerCallId !== null && call.providerCallId !== providerCallId)) {
          const id = input.callId ?? input.providerCallId ?? ""
          return yield* new NotFoundError({ message: `call ${truncateText(id, 100)} not found`, entity: "call", id: truncateText(id, 100) })
        }
        const learnsId = call.providerCallId === null && providerCallId !== undefined
        if (!advancesCall(call.status, input.status) && !learnsId) return call
        const moves = advancesCall(call.status, input.status)
        const next: CallAttempt = {
          ...call,
          status: moves ? input.status : call.status,
          providerCallId: call.providerCallId ?? providerCallId ?? null,
          failureReason:
            moves && (input.status === "failed" || input.status === "busy" || input.status === "no_answer") ? (reason ?? input.status) : call.failureReason,
          updatedAt: now,
        }
        yield* r.calls.update(next)
        if (!moves) return next
        yield* r.activity.append([
          yield* activityEvent(principal, now, "call.status_changed", {
            subjectId: call.id,
            conversationId: call.conversationId,
            contactId: call.contactId,
            before: { status: call.status },
            after: { status: next.status, reason: reason ?? null, reportedAt: at },
          }),
        ])
        return next
      }),
    )
  }),
)
