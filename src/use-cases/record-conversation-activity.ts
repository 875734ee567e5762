import { Effect } from "effect"
import { conversationActivityTransition } from "../domain/conversation/conversation-activity-transition"
import { runCommand } from "./support/command"
import { conversationForUpdate } from "./support/conversation-for-update"
import { callerTime, currentTime } from "./support/now"
import { defineUseCase } from "./support/use-case"
import { withSameIdentities } from "./support/same-identities"

/**
 * Records activity on a conversation (a message came in or went out, at `at` or now): it moves the
 * conversation's and the contact's last activity forward. Late reports never move it back, so
 * messages delivered out of order leave the latest time in place; an `at` more than
 * `maxClockSkewMs` (5 minutes) ahead of the clock is refused with a `ValidationError`.
 *
 * @example
 * ```ts
 * import { recordConversationActivity } from "rmc-details"
 * const program = recordConversationActivity({ tenantId: "acme", agentId: "router", role: "agent" },
 *   { conversationId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11" })
 * ```
 */
export const recordConversationActivity = defineUseCase("recordConversationActivity", (principal, input) =>
  Effect.gen(function* () {
    const now = yield* currentTime
    const at = input.at === undefined ? now : yield* callerTime(input.at, now, ["at"])
    return yield* runCommand(principal, (r) => conversationForUpdate(r, principal.tenantId, input.conversationId))({
      at: now,
      transition: (conversation) => conversationActivityTransition(conversation, at),
      save: (r, next) =>
        Effect.gen(function* () {
          // The contact's last activity moves forward with its conversation's, never back.
          const contact = yield* r.contacts.get(principal.tenantId, next.contactId)
          if (contact !== null && at > contact.lastActivityAt) {
            yield* withSameIdentities(r.contacts.update({ ...contact, lastActivityAt: at, version: contact.version + 1 }, contact))
          }
          yield* r.conversations.update(next)
        }),
    })
  }),
)
