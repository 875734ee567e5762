import { makeMemoryStorage, makeMemoryTelephony } from "../../src/adapters/memory"
import { Layer } from "effect"
import { createRmc } from "../../src/facade/create-rmc"
import { Clock } from "../../src/ports/clock"
import { Storage } from "../../src/ports/storage"
import type { Principal } from "../../src/domain/shared/principal"

/** A clock that moves 1 ms forward at every read, so that every event has its own time. */
export const steppingClock = (start = "2026-03-01T09:00:00.000Z") => {
  let ms = Date.parse(start)
  return {
    layer: Clock.layerFrom(() => new Date(ms++)),
    jump: (millis: number) => {
      ms += millis
    },
  }
}

export const principals = {
  alice: { tenantId: "acme", agentId: "alice", role: "agent" },
  bob: { tenantId: "acme", agentId: "bob", role: "agent" },
  sam: { tenantId: "acme", agentId: "sam", role: "supervisor" },
  root: { tenantId: "acme", agentId: "root", role: "admin" },
  eve: { tenantId: "globex", agentId: "eve", role: "admin" },
} as const satisfies Record<string, Principal>

export const fixture = () => {
  const clock = steppingClock()
  const phone = makeMemoryTelephony()
  const rmc = createRmc({ storage: Layer.succeed(Storage, makeMemoryStorage()), telephony: phone.layer, clock: clock.layer })
  return {
    rmc,
    phone,
    clock,
    alice: rmc.as(principals.alice),
    bob: rmc.as(principals.bob),
    sam: rmc.as(principals.sam),
    root: rmc.as(principals.root),
    eve: rmc.as(principals.eve),
  }
}

export type Fixture = ReturnType<typeof fixture>

/** A contact with a conversation, the starting point of most scenarios. */
export const contactWithConversation = async (f: Fixture, channel: "whatsapp" | "email" | "sms" = "whatsapp") => {
  const contact = await f.alice.createContact({ fullName: "Camille Martin", type: "Lead", primaryPhone: "06 12 34 56 78" })
  const conversation = await f.alice.openConversation({ contactId: contact.id, channel, assigneeId: "alice" })
  return { contact, conversation }
}
