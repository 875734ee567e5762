import { Effect } from "effect"
import { Storage } from "../ports/storage"
import { orNotFound } from "./support/find"
import { readCursor, toPage } from "./support/paging"
import { defineUseCase } from "./support/use-case"

/**
 * The live notes of a contact or of a conversation, newest first, cursor-paginated.
 *
 * @example
 * ```ts
 * import { listNotes } from "rmc-details"
 * const program = listNotes({ tenantId: "acme", agentId: "alice", role: "agent" },
 *   { subject: { kind: "contact", id: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11" }, limit: 20 })
 * ```
 */
export const listNotes = defineUseCase("listNotes", (principal, input) =>
  Effect.gen(function* () {
    const storage = yield* Storage
    const { subject } = input
    const after = yield* readCursor(input.cursor)
    return yield* storage.query((r) =>
      Effect.gen(function* () {
        if (subject.kind === "contact") {
          yield* orNotFound("contact", subject.id)(r.contacts.get(principal.tenantId, subject.id))
        } else {
          yield* orNotFound("conversation", subject.id)(r.conversations.get(principal.tenantId, subject.id))
        }
        const rows = yield* r.notes.listBySubject(principal.tenantId, subject, { limit: input.limit + 1, after })
        return toPage(rows, input.limit, (n) => ({ at: n.createdAt, id: n.id }))
      }),
    )
  }),
)
