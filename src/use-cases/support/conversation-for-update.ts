import { Effect } from "effect"
import type { Conversation } from "../../domain/conversation/conversation"
import type { NotFoundError, StorageError, VersionConflictError } from "../../domain/shared/errors"
import type { StorageRepositories } from "../../ports/storage"
import { expectVersion } from "./expect-version"
import { orNotFound } from "./find"

/**
 * Reads a conversation of the tenant that a command is about to change, checking the version the
 * caller last saw (when given) before any work is done.
 *
 * @internal
 */
export const conversationForUpdate = (
  r: StorageRepositories,
  tenantId: string,
  conversationId: string,
  expectedVersion: number | undefined,
): Effect.Effect<Conversation, StorageError | NotFoundError | VersionConflictError> =>
  Effect.tap(orNotFound("conversation", conversationId)(r.conversations.get(tenantId, conversationId)), (conversation) =>
    expectVersion("conversation", conversation.id, expectedVersion, conversation.version),
  )
