import { Effect } from "effect"
import type { Conversation } from "../../domain/conversation/conversation"
import type { Note } from "../../domain/note/note"
import type { StorageError } from "../../domain/shared/errors"
import type { CursorKey } from "../../domain/shared/page"
import type { StorageRepositories } from "../../ports/storage"

const pageSize = 100

/**
 * The agent's newest live note on the conversation written since it was last assigned (or
 * opened), as a list of one, or an empty list: what the note-before-transfer and
 * note-before-department-change policies look for. Notes are read newest first, a page at a time,
 * and never further back than that time, so the cost follows the notes since the assignment.
 *
 * @internal
 */
export const handoverNotes = (
  r: StorageRepositories,
  conversation: Pick<Conversation, "tenantId" | "id" | "createdAt" | "assignedAt">,
  agentId: string,
): Effect.Effect<ReadonlyArray<Note>, StorageError> =>
  Effect.gen(function* () {
    const since = conversation.assignedAt ?? conversation.createdAt
    let after: CursorKey | undefined
    for (;;) {
      const notes = yield* r.notes.listBySubject(conversation.tenantId, { kind: "conversation", id: conversation.id }, { limit: pageSize, after })
      const own = notes.find((n) => n.authorId === agentId && n.deletedAt === null && n.createdAt >= since)
      if (own !== undefined) return [own]
      const last = notes.at(-1)
      if (notes.length < pageSize || last === undefined || last.createdAt < since) return []
      after = { at: last.createdAt, id: last.id }
    }
  })
