import { Effect, Layer } from "effect"
import { createRmcClient, createRmcHandler } from "../../src/adapters/http"
import { type NodeServer, serveNode } from "../../src/adapters/http/node"
import { createKyselyDatabase, makeKyselyStorage, migrateToLatest } from "../../src/adapters/kysely"
import { makeMemoryStorage, makeMemoryTelephony } from "../../src/adapters/memory"
import { createRmc, type Rmc } from "../../src/facade/create-rmc"
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

/**
 * How the scenarios reach the SDK: in process on the memory store (the default), or over HTTP
 * through the REST server and the typed client, on the memory store or on SQLite.
 */
export const transport: { kind: "memory" | "http" | "http-sqlite"; servers: Array<Promise<NodeServer>> } = { kind: "memory", servers: [] }

const sqliteStorage = () =>
  Layer.effect(
    Storage,
    Effect.promise(async () => {
      const database = await createKyselyDatabase({ dialect: "sqlite", path: ":memory:" })
      await migrateToLatest(database.db, { dialect: database.dialect })
      return makeKyselyStorage({ db: database.db, dialect: database.dialect })
    }),
  )

const overHttp = (inner: Rmc): Rmc => {
  const server = serveNode(
    createRmcHandler({
      rmc: inner,
      authenticate: (request) => {
        const token = request.headers.get("authorization")?.replace(/^Bearer /, "")
        return token === undefined ? null : (JSON.parse(Buffer.from(token, "base64url").toString()) as Principal)
      },
    }),
  )
  transport.servers.push(server)
  return {
    as: (principal) =>
      createRmcClient({
        baseUrl: "http://server",
        headers: { authorization: `Bearer ${Buffer.from(JSON.stringify(principal)).toString("base64url")}` },
        fetch: async (url, init) => fetch(String(url).replace("http://server", (await server).url), init),
      }),
    readOutbox: (after, limit) => inner.readOutbox(after, limit),
    purgeExpired: (options) => inner.purgeExpired(options),
    dispose: () => inner.dispose(),
  }
}

export const fixture = () => {
  const clock = steppingClock()
  const phone = makeMemoryTelephony()
  const storage = transport.kind === "http-sqlite" ? sqliteStorage() : Layer.succeed(Storage, makeMemoryStorage())
  const inProcess = createRmc({ storage, telephony: phone.layer, clock: clock.layer })
  const rmc = transport.kind === "memory" ? inProcess : overHttp(inProcess)
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
