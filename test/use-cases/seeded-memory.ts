import { Effect, Layer } from "effect"
import { makeMemoryStorage } from "../../src/adapters/memory"
import { rmcLayer } from "../../src/facade/rmc-layer"
import { Storage } from "../../src/ports/storage"
import { useCases } from "../../src/use-cases"
import { principals } from "./fixture"

/**
 * A memory store holding one contact with one conversation, and a way to run use cases on it or on a
 * store wrapped around it (one that loses races, or hides what is not committed yet).
 */
export const seededMemory = async () => {
  const inner = makeMemoryStorage()
  const run = <A, E>(effect: Effect.Effect<A, E, any>, storage: Storage["Service"] = inner) =>
    Effect.runPromise(Effect.provide(effect, rmcLayer({ storage: Layer.succeed(Storage, storage) })) as Effect.Effect<A, E>)
  const contact = await run(useCases.createContact(principals.alice, { fullName: "Camille Martin", primaryPhone: "0612345678" }))
  const conversation = await run(useCases.openConversation(principals.alice, { contactId: contact.id, channel: "sms" }))
  return { inner, run, contact, conversation }
}
