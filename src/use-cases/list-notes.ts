import { Effect } from "effect"
import { Storage } from "../ports/storage"
import { orNotFound } from "./support/find"
import { defineUseCase } from "./support/use-case"

/**
 * The live notes of a contact or of a conversation, newest first.
 *
 * @example
 * ```ts
 * import { listNotes } from "rmc-details"
 * const program = listNotes({ tenantId: "acme", agentId: "alice", role: "agent" },
 *   { subject: { kind: "contact", id: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11" } })
 * ```
 */
export const listNotes = defineUseCase("listNotes", (principal, input) =>
  Effect.gen(function* () {
    const storage = yield* Storage
    const { subject } = input
    return yield* storage.query((r) =>
      Effect.gen(function* () {
        if (subject.kind === "contact") {
          yield* orNotFound("contact", subject.id)(r.contacts.get(principal.tenantId, subject.id))
        } else {
          yield* orNotFound("conversation", subject.id)(r.conversations.get(principal.tenantId, subject.id))
        }
        return [...(yield* r.notes.listBySubject(principal.tenantId, subject))]
      }),
    )
  }),
)
