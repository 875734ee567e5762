import { Effect, Result } from "effect"
import { advancesCall, type CallAttempt, type CallStatus } from "../domain/call/call-attempt"
import { callFailureError, callFailureReason } from "../domain/call/call-failure"
import { callableNumbers } from "../domain/contact/contact"
import { normalizePhone } from "../domain/contact/phone"
import { IdempotencyConflictError, NoPhoneNumberError, TelephonyUnavailableError, ValidationError } from "../domain/shared/errors"
import type { Principal } from "../domain/shared/principal"
import { Storage, type StorageRepositories } from "../ports/storage"
import { Telephony } from "../ports/telephony"
import { activityEvent } from "./support/activity"
import { orNotFound } from "./support/find"
import { currentTime, nextId } from "./support/now"
import { storedProviderCallId } from "./support/provider-call-id"
import { settingsOf } from "./support/settings"
import { writableContact } from "./support/writable-contact"
import { defineUseCase } from "./support/use-case"

const replay = (existing: CallAttempt, conversationId: string, to: string | undefined) =>
  Effect.gen(function* () {
    if (existing.conversationId !== conversationId || (to !== undefined && to !== existing.to)) {
      return yield* new IdempotencyConflictError({
        message: `Idempotency key ${existing.idempotencyKey} was used for another call`,
        key: existing.idempotencyKey,
      })
    }
    const failure = existing.status === "failed" ? callFailureError(existing.failureReason) : undefined
    return failure === undefined ? existing : yield* Effect.fail(failure)
  })

const requestCall = (
  r: StorageRepositories,
  principal: Principal,
  input: { conversationId: string; to?: string | undefined; idempotencyKey: string },
  id: string,
  now: string,
) =>
  Effect.gen(function* () {
    const conversation = yield* orNotFound("conversation", input.conversationId)(r.conversations.get(principal.tenantId, input.conversationId))
    const contact = yield* writableContact(r, principal.tenantId, conversation.contactId)
    const settings = yield* settingsOf(r, principal.tenantId)
    const numbers = callableNumbers(contact)
    if (numbers.length === 0) {
      return yield* new NoPhoneNumberError({ message: "The contact has no phone number to call", contactId: contact.id })
    }
    const to = input.to === undefined ? numbers[0] : normalizePhone(input.to, settings.defaultRegion)
    if (to === undefined || !numbers.includes(to)) {
      return yield* new ValidationError({
        message: "Invalid to: not one of the contact's phone numbers",
        issues: [{ path: ["to"], message: "not one of the contact's phone numbers" }],
      })
    }
    const call: CallAttempt = {
      id,
      tenantId: principal.tenantId,
      conversationId: conversation.id,
      contactId: contact.id,
      to,
      idempotencyKey: input.idempotencyKey,
      requestedBy: principal.agentId,
      status: "requested",
      providerCallId: null,
      failureReason: null,
      createdAt: now,
      updatedAt: now,
    }
    yield* r.calls.insert(call)
    yield* r.activity.append([
      yield* activityEvent(principal, now, "call.requested", {
        subjectId: id,
        conversationId: conversation.id,
        contactId: contact.id,
        after: { to, status: "requested" },
      }),
    ])
    return call
  })

/**
 * Calls the contact through the telephony system (click-to-call), to `to` (one of the contact's
 * numbers, in any written form) or to the primary phone. The attempt and its status go on the
 * conversation's activity timeline.
 *
 * The idempotency key is required: a retried request with the same key never places a second call;
 * it answers the recorded attempt (or the same typed error, when the attempt failed). The call is
 * recorded before the telephony system is asked, so a crash in between leaves a visible
 * `requested` attempt rather than an unrecorded call. Status reports that arrive while the
 * telephony system dials are kept: the attempt's status only moves forward, and the answer is the
 * attempt as it stands (e.g. `ringing` when a report said so before the dial returned). A
 * telephony call id longer than `maxProviderCallIdLength` is stored as its digest, and a
 * failure reason is cut to `maxFailureReasonLength`: the placed call stays recorded and
 * matchable by status reports.
 *
 * It never fails with a version conflict, so it is never re-run: the telephony system is asked
 * once per attempt.
 *
 * @example
 * ```ts
 * import { callContact } from "rmc-details"
 * const program = callContact({ tenantId: "acme", agentId: "alice", role: "agent" },
 *   { conversationId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11", idempotencyKey: "call-7f3a" })
 * ```
 */
export const callContact = defineUseCase("callContact", (principal, input) =>
  Effect.gen(function* () {
    const storage = yield* Storage
    const telephony = yield* Telephony
    // Refused before anything is written: the idempotency key stays free for when a system is configured.
    if (telephony.enabled === false) {
      return yield* new TelephonyUnavailableError({ message: "No telephony system is configured", outcome: "not_placed" })
    }
    const now = yield* currentTime
    const id = yield* nextId
    const settings = yield* storage.query((r) => settingsOf(r, principal.tenantId))
    const to = input.to === undefined ? undefined : (normalizePhone(input.to, settings.defaultRegion) ?? input.to)
    const recorded = yield* storage
      .transaction((r) =>
        Effect.gen(function* () {
          const existing = yield* r.calls.findByIdempotencyKey(principal.tenantId, input.idempotencyKey)
          if (existing !== null) return { call: yield* replay(existing, input.conversationId, to), fresh: false }
          return { call: yield* requestCall(r, principal, input, id, now), fresh: true }
        }),
      )
      .pipe(
        // Two first tries at once: the loser's insert of the key fails, and it answers like a retry.
        Effect.catchTag("IdempotencyConflictError", (error) =>
          Effect.flatMap(
            storage.query((r) => r.calls.findByIdempotencyKey(principal.tenantId, input.idempotencyKey)),
            (existing) =>
              existing === null || existing.id === id
                ? Effect.fail(error)
                : Effect.map(replay(existing, input.conversationId, to), (call) => ({ call, fresh: false })),
          ),
        ),
      )
    if (!recorded.fresh) return recorded.call
    const call = recorded.call
    const dialed = yield* Effect.result(
      telephony.dial({
        tenantId: principal.tenantId,
        agentId: principal.agentId,
        callId: call.id,
        conversationId: call.conversationId,
        to: call.to,
        idempotencyKey: call.idempotencyKey,
      }),
    )
    const after = yield* currentTime
    const providerCallId = Result.isSuccess(dialed) ? yield* storedProviderCallId(dialed.success.providerCallId) : null
    const proposed: CallStatus = Result.isSuccess(dialed) ? "dialing" : "failed"
    // Status reports may have arrived while the telephony system was dialling: read the call again,
    // locked, and only move it forward (a report of "ringing" is never overwritten by "dialing").
    const next = yield* storage.transaction((r) =>
      Effect.gen(function* () {
        const current = (yield* r.calls.getLocked(principal.tenantId, call.id, "update")) ?? call
        const moves = advancesCall(current.status, proposed)
        const merged: CallAttempt = {
          ...current,
          status: moves ? proposed : current.status,
          providerCallId: providerCallId ?? current.providerCallId,
          failureReason: moves && Result.isFailure(dialed) ? callFailureReason(dialed.failure) : current.failureReason,
          updatedAt: after,
        }
        if (merged.status === current.status && merged.providerCallId === current.providerCallId) return current
        yield* r.calls.update(merged)
        yield* r.activity.append([
          yield* activityEvent(principal, after, "call.status_changed", {
            subjectId: call.id,
            conversationId: call.conversationId,
            contactId: call.contactId,
            before: { status: current.status },
            after: { status: merged.status, providerCallId: merged.providerCallId, failureReason: merged.failureReason },
          }),
        ])
        return merged
      }),
    )
    return Result.isSuccess(dialed) ? next : yield* Effect.fail(dialed.failure)
  }),
)
