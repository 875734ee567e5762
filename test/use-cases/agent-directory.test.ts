import { Effect, Layer } from "effect"
import { describe, expect, it } from "vitest"
import { makeMemoryStorage, memoryStorage } from "../../src/adapters/memory"
import type { Principal } from "../../src/domain/shared/principal"
import { createRmc } from "../../src/facade/create-rmc"
import { rmcLayer } from "../../src/facade/rmc-layer"
import { AgentDirectory, type AgentDirectoryService, type DirectoryAgent } from "../../src/ports/agent-directory"
import { Storage } from "../../src/ports/storage"
import { useCases } from "../../src/use-cases"

const root: Principal = { tenantId: "acme", agentId: "root", role: "admin" }
const alice: Principal = { tenantId: "acme", agentId: "alice", role: "agent" }

/** An embedding product's own directory: a fixed list, and every call it answers. */
const productDirectory = (agents: ReadonlyArray<DirectoryAgent>) => {
  const calls: Array<string> = []
  const directory: AgentDirectoryService = {
    get: (tenantId, agentId) =>
      Effect.sync(() => {
        calls.push(`get ${tenantId} ${agentId}`)
        return agents.find((a) => a.id === agentId) ?? null
      }),
    candidates: (tenantId, departmentIds, limit) =>
      Effect.sync(() => {
        calls.push(`candidates ${tenantId} ${departmentIds === null ? "any" : departmentIds.join(",")} ${limit}`)
        return agents.filter((a) => a.active && (departmentIds === null || a.departmentIds.some((id) => departmentIds.includes(id)))).slice(0, limit)
      }),
  }
  return { directory, calls }
}

describe("an embedding product's own agent directory", () => {
  it("replaces the stored one for transfers and the panel, in the Promise API", async () => {
    const { directory, calls } = productDirectory([
      { id: "bob", displayName: "Bob", active: true, departmentIds: [] },
      { id: "dan", displayName: "Dan", active: false, departmentIds: [] },
    ])
    const rmc = createRmc({ storage: memoryStorage(), agentDirectory: directory })
    try {
      const [admin, agent] = [rmc.as(root), rmc.as(alice)]
      await admin.configureTenant({ routing: { knownAgentsOnly: true } })
      const contact = await agent.createContact({ fullName: "Marie Curie" })
      const conversation = await agent.openConversation({ contactId: contact.id, channel: "sms" })
      await expect(agent.transferConversation({ conversationId: conversation.id, toAgentId: "dan" })).rejects.toMatchObject({
        code: "transfer_refused",
        reason: "inactive_agent",
      })
      expect((await agent.transferConversation({ conversationId: conversation.id, toAgentId: "bob" })).assigneeId).toBe("bob")
      const details = await agent.getDetails({ conversationId: conversation.id })
      expect(details.routing.agents).toEqual([{ id: "bob", displayName: "Bob", departmentIds: [] }])
      expect(calls).toEqual(["get acme dan", "get acme bob", "candidates acme any 50"])
      // The stored directory is not consulted: it is empty.
      expect((await admin.listAgents({ includeInactive: true })).items).toEqual([])
    } finally {
      await rmc.dispose()
    }
  })

  it("replaces the stored one in the Effect API with AgentDirectory.layer", async () => {
    const { directory } = productDirectory([])
    const layer = Layer.merge(rmcLayer({ storage: Layer.succeed(Storage, makeMemoryStorage()) }), AgentDirectory.layer(directory))
    const error = await Effect.runPromise(
      Effect.gen(function* () {
        yield* useCases.configureTenant(root, { routing: { knownAgentsOnly: true } })
        yield* useCases.createAgent(root, { agentId: "bob", displayName: "Bob" })
        const contact = yield* useCases.createContact(alice, { fullName: "Marie Curie" })
        const conversation = yield* useCases.openConversation(alice, { contactId: contact.id, channel: "sms" })
        return yield* Effect.flip(useCases.transferConversation(alice, { conversationId: conversation.id, toAgentId: "bob" }))
      }).pipe(Effect.provide(layer)),
    )
    // Bob is in the stored directory, not in the product's: the product's answers.
    expect(error).toMatchObject({ code: "transfer_refused", reason: "unknown_agent", target: "bob" })
  })
})
