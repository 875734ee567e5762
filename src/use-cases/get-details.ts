import { Effect, Option } from "effect"
import { availableActions } from "../domain/details/available-actions"
import { defaultTenantSettings } from "../domain/tenant/tenant-settings"
import { Storage } from "../ports/storage"
import { Telephony } from "../ports/telephony"
import { orNotFound } from "./support/find"
import { toPage } from "./support/paging"
import { defineUseCase } from "./support/use-case"

/**
 * Everything the Details panel shows for a conversation, in one call and one store read: contact
 * information, department, the notes of the contact and of the conversation, keywords, labels,
 * recent calls, the actions available to this principal (with why not, when disabled), and the
 * first page of the contact's conversations on every channel.
 *
 * @example
 * ```ts
 * import { getDetails } from "rmc-details"
 * const program = getDetails({ tenantId: "acme", agentId: "alice", role: "agent" },
 *   { conversationId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11", historyLimit: 10 })
 * ```
 */
export const getDetails = defineUseCase("getDetails", (principal, input) =>
  Effect.gen(function* () {
    const storage = yield* Storage
    const snapshot = yield* storage.query((r) =>
      orNotFound("conversation", input.conversationId)(r.details.load(principal.tenantId, input.conversationId, input.historyLimit + 1)),
    )
    const settings = snapshot.settings ?? defaultTenantSettings(principal.tenantId)
    // Without a telephony port (or with `noTelephony`), the Call action says so instead of failing later.
    const telephony = yield* Effect.serviceOption(Telephony)
    const telephonyEnabled = Option.isSome(telephony) && telephony.value.enabled !== false
    return {
      contact: snapshot.contact,
      conversation: snapshot.conversation,
      department: snapshot.department,
      notes: {
        contact: snapshot.notes.filter((n) => n.subject.kind === "contact"),
        conversation: snapshot.notes.filter((n) => n.subject.kind === "conversation"),
      },
      keywords: [...snapshot.keywords],
      labels: [...snapshot.labels],
      recentCalls: [...snapshot.recentCalls],
      actions: [...availableActions(principal, settings, snapshot, { enabled: telephonyEnabled })],
      conversations: toPage(snapshot.history, input.historyLimit, (c) => ({ at: c.lastActivityAt, id: c.id })),
    }
  }),
)
