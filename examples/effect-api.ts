import { Effect } from "effect"
import { memoryStorage, memoryTelephony, rmcLayer, useCases } from "rmc-details"

export async function main() {
  const alice = { tenantId: "acme", agentId: "alice", role: "agent" } as const
  const program = Effect.gen(function* () {
    const contact = yield* useCases.createContact(alice, { fullName: "Léa Moreau", email: "lea@example.fr" })
    const conversation = yield* useCases.openConversation(alice, { contactId: contact.id, channel: "email" })
    // Typed failures: recover from the ones you expect by their tag.
    return yield* useCases
      .callContact(alice, { conversationId: conversation.id, idempotencyKey: "call-1" })
      .pipe(Effect.catchTag("NoPhoneNumberError", (error) => Effect.succeed(`no call: ${error.code}`)))
  })
  const outcome = await Effect.runPromise(program.pipe(Effect.provide(rmcLayer({ storage: memoryStorage(), telephony: memoryTelephony() }))))
  console.log(outcome)
  return outcome
}
