import { Effect } from "effect"
import type { Conversation } from "../../domain/conversation/conversation"
import { NotFoundError, type StorageError } from "../../domain/shared/errors"
import type { Principal } from "../../domain/shared/principal"
import type { TenantSettings } from "../../domain/tenant/tenant-settings"
import { canReadConversation } from "../../domain/visibility/conversation-readers"
import type { ConversationReach, StorageRepositories } from "../../ports/storage"
import { orNotFound } from "./find"
import { settingsOf } from "./settings"

export type VisibilityRules = Pick<TenantSettings, "visibility">

const everything: VisibilityRules = { visibility: { notes: "all_agents", history: "all_agents" } }

/** The visibility rules that bind the principal: the tenant's for an agent; none (and no read) for a supervisor or an admin. */
export const visibilityOf = (r: StorageRepositories, principal: Principal): Effect.Effect<VisibilityRules, StorageError> =>
  principal.role === "agent" ? settingsOf(r, principal.tenantId) : Effect.succeed(everything)

/** The reach a list of conversations is cut to for the principal, or `undefined` when it reads them all. */
export const reachOf = (principal: Principal, rules: VisibilityRules): ConversationReach | undefined =>
  principal.role === "agent" && rules.visibility.history === "department"
    ? { agentId: principal.agentId, departmentIds: principal.departmentIds ?? [] }
    : undefined

/** The conversation and the rules that bind the principal; `not_found` when the principal does not read the conversation, as when it does not exist. */
export const readableConversation = (
  r: StorageRepositories,
  principal: Principal,
  conversationId: string,
): Effect.Effect<{ readonly conversation: Conversation; readonly rules: VisibilityRules }, StorageError | NotFoundError> =>
  Effect.gen(function* () {
    const conversation = yield* orNotFound("conversation", conversationId)(r.conversations.get(principal.tenantId, conversationId))
    const rules = yield* visibilityOf(r, principal)
    if (!canReadConversation(principal, rules, conversation)) {
      return yield* new NotFoundError({ message: `conversation ${conversationId} not found`, entity: "conversation", id: conversationId })
    }
    return { conversation, rules }
  })
