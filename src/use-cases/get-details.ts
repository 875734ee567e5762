import { Effect, Option } from "effect"
import type { Note } from "../domain/note/note"
import { departmentOpening } from "../domain/department/department-rules"
import { availableActions } from "../domain/details/available-actions"
import { NotFoundError } from "../domain/shared/errors"
import { detailsAgentChoices } from "../domain/details/details-routing"
import { agentDirectoryFor } from "../ports/agent-directory"
import { defaultTenantSettings } from "../domain/tenant/tenant-settings"
import { canReadConversation } from "../domain/visibility/conversation-readers"
import { noteAsReadBy } from "../domain/visibility/note-as-read-by"
import { Storage } from "../ports/storage"
import { Telephony } from "../ports/telephony"
import { orNotFound } from "./support/find"
import { currentTime } from "./support/now"
import { toPage } from "./support/paging"
import { defineUseCase } from "./support/use-case"

const noteKey = (n: Note) => ({ at: n.createdAt, id: n.id })

/**
 * Everything the Details panel shows for a conversation, in one call and one store read: contact
 * information, department, the first page of the notes of the contact and of the conversation
 * (`notesLimit` each, newest first; `listNotes` reads on from `nextCursor`), keywords, labels,
 * recent calls, the actions available to this principal (with why not, when disabled), and the
 * first page of the contact's conversations on every channel, and the custom attribute values of
 * the contact and of the conversation.
 *
 * For an agent, the tenant's visibility rules apply in the same read: the note pages hold the notes
 * the agent reads (`noteReadScope`), without earlier revisions, and under a `department` history
 * rule the history holds the conversations in the agent's reach; a conversation the agent does not
 * read answers `not_found`.
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
      orNotFound(
        "conversation",
        input.conversationId,
      )(r.details.load(principal.tenantId, input.conversationId, { history: input.historyLimit + 1, notes: input.notesLimit + 1 }, principal)),
    )
    const settings = snapshot.settings ?? defaultTenantSettings(principal.tenantId)
    if (!canReadConversation(principal, settings, snapshot.conversation)) {
      return yield* new NotFoundError({ message: `conversation ${input.conversationId} not found`, entity: "conversation", id: input.conversationId })
    }
    // Without a telephony port (or with `noTelephony`), the Call action says so instead of failing later.
    const telephony = yield* Effect.serviceOption(Telephony)
    const asRead = (note: Note) => noteAsReadBy(principal, note)
    const telephonyEnabled = Option.isSome(telephony) && telephony.value.enabled !== false
    const now = yield* currentTime
    const departmentId = snapshot.conversation.departmentId
    const allowed = departmentId === null ? null : (settings.routing?.departments[departmentId]?.transferTargets ?? null)
    // The one read beyond the snapshot, only for tenants that check agents against the directory:
    // a directory of the embedding product's own cannot join the store's statement.
    const agents =
      settings.routing?.knownAgentsOnly === true
        ? yield* storage.query((r) => Effect.flatMap(agentDirectoryFor(r), (d) => d.candidates(principal.tenantId, null, detailsAgentChoices)))
        : null
    const routing = {
      department: departmentId === null ? null : departmentOpening(settings.routing, departmentId, now),
      departments: allowed === null ? null : allowed.map((id) => departmentOpening(settings.routing, id, now)),
      agents: agents === null ? null : agents.map((a) => ({ id: a.id, displayName: a.displayName, departmentIds: [...a.departmentIds] })),
    }
    return {
      contact: snapshot.contact,
      conversation: snapshot.conversation,
      department: snapshot.department,
      notes: {
        contact: toPage(snapshot.notes.contact.map(asRead), input.notesLimit, noteKey),
        conversation: toPage(snapshot.notes.conversation.map(asRead), input.notesLimit, noteKey),
      },
      keywords: [...snapshot.keywords],
      labels: [...snapshot.labels],
      recentCalls: [...snapshot.recentCalls],
      actions: [
        ...availableActions(principal, settings, snapshot, { enabled: telephonyEnabled }, { agents: agents?.map((a) => a.id) ?? null, departments: allowed }),
      ],
      routing,
      conversations: toPage(snapshot.history, input.historyLimit, (c) => ({ at: c.lastActivityAt, id: c.id })),
      attributes: { contact: { ...snapshot.attributes.contact }, conversation: { ...snapshot.attributes.conversation } },
    }
  }),
)
