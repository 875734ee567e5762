import { Effect } from "effect"
import { valuesByKey } from "../domain/attribute/attribute-definition"
import { Storage } from "../ports/storage"
import { liveContact } from "./support/live-contact"
import { defineUseCase } from "./support/use-case"
import { readableConversation } from "./support/visibility"

/**
 * The custom attribute values of a contact or a conversation, by key, with the record's version
 * (to send as `expectedVersion` to `setAttributes`). Values of archived attributes are included.
 *
 * @example
 * ```ts
 * import { getAttributes } from "rmc-details"
 * const program = getAttributes({ tenantId: "acme", agentId: "alice", role: "agent" },
 *   { subject: { kind: "contact", id: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11" } })
 * ```
 */
export const getAttributes = defineUseCase("getAttributes", (principal, input) =>
  Effect.gen(function* () {
    const storage = yield* Storage
    const { subject } = input
    return yield* storage.transaction((r) =>
      Effect.gen(function* () {
        const record =
          subject.kind === "contact"
            ? yield* liveContact(subject.id)(r.contacts.get(principal.tenantId, subject.id))
            : (yield* readableConversation(r, principal, subject.id)).conversation
        const values = yield* r.attributes.valuesOf(principal.tenantId, subject)
        return { subject, values: valuesByKey(values), version: record.version }
      }),
    )
  }),
)
