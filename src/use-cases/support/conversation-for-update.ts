import type { Effect } from "effect"
import type { Conversation } from "../../domain/conversation/conversation"
import type { NotFoundError, StorageError } from "../../domain/shared/errors"
import type { StorageRepositories } from "../../ports/storage"
import { orNotFound } from "./find"

/**
 * Reads a conversation of the tenant that a command is about to change; the command checks the
 * version the caller last saw (see `runCommand`).
 *
 * @internal
 */
export const conversationForUpdate = (
  r: StorageRepositories,
  tenantId: string,
  conversationId: string,
): Effect.Effect<Conversation, StorageError | NotFoundError> => orNotFound("conversation", conversationId)(r.conversations.get(tenantId, conversationId))
