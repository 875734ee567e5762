import { Effect, Layer } from "effect"
import { expect, it } from "vitest"
import type { Agent } from "../../domain/agent/agent"
import { NameTakenError, TransferRefusedError, VersionConflictError } from "../../domain/shared/errors"
import type { Principal } from "../../domain/shared/principal"
import { rmcLayer } from "../../facade/rmc-layer"
import { Clock } from "../../ports/clock"
import { Storage } from "../../ports/storage"
import { useCases } from "../../use-cases"
import * as A from "../arbitraries/entities"
import { conformanceKit, failure, newTenant, one } from "./conformance-kit"
import type { StorageSubSuite } from "./storage-sub-suite"
import { useCaseRunner } from "./use-case-runner"

// A Wednesday, 10:00 in Paris (UTC+1 in winter).
const wednesdayMorning = new Date("2027-01-13T09:00:00.000Z")
const weekdays = (opens: string, closes: string) => [1, 2, 3, 4, 5].map((day) => ({ day, opens, closes }))

/**
 * The `agents` sub-suite of the storage conformance suite: the agent directory (one tenant's
 * agents only, by id, a page at a time, by department, deactivated ones on demand, ids unique per
 * tenant, optimistic updates), and the routing rules that read it: transfers checked against the
 * directory, departments' allowed targets and business hours with their fallback, and the Details
 * panel's routing.
 *
 * @example
 * ```ts
 * import { memoryStorage } from "rmc-details"
 * import { describeStorageConformance } from "rmc-details/testing"
 * describeStorageConformance("memory", memoryStorage(), { only: ["agents"] })
 * ```
 */
export const agentsConformance: StorageSubSuite = (storage) => {
  const { tx, q } = conformanceKit(storage)
  const layer = () => rmcLayer({ storage: Layer.succeed(Storage, storage()), clock: Clock.layerFrom(() => wednesdayMorning) })
  const { ok, errorOf } = useCaseRunner(layer)
  const agent = (tenantId: string, id: string, fields: Partial<Agent> = {}): Agent => ({
    tenantId,
    id,
    displayName: `Agent ${id}`,
    role: "agent",
    departmentIds: [],
    active: true,
    createdAt: "2027-01-01T00:00:00.000Z",
    updatedAt: "2027-01-01T00:00:00.000Z",
    version: 1,
    ...fields,
  })

  it("store one tenant's agents by id, list them a page at a time, by department, deactivated ones on demand", async () => {
    const tenantId = newTenant()
    const other = newTenant()
    const [sales, support] = [one(A.department(tenantId)), one(A.department(tenantId))]
    const agents = [
      agent(tenantId, "carol", { departmentIds: [sales.id, support.id] }),
      agent(tenantId, "alice", { departmentIds: [support.id] }),
      agent(tenantId, "Zed", { departmentIds: [sales.id], active: false }),
      agent(tenantId, "bob"),
    ]
    await tx((r) => Effect.forEach([...agents, agent(other, "alice", { departmentIds: [support.id] })], (a) => r.agents.insert(a)))
    expect(await q((r) => r.agents.get(tenantId, "carol"))).toEqual(agents[0])
    expect(await q((r) => r.agents.get(tenantId, "nobody"))).toBeNull()
    expect(await q((r) => r.agents.get(newTenant(), "carol"))).toBeNull()
    const ids = (list: ReadonlyArray<Agent>) => list.map((a) => a.id)
    // By id, comparing code points: upper case before lower case.
    expect(ids(await q((r) => r.agents.list(tenantId, { includeInactive: true, limit: 10 })))).toEqual(["Zed", "alice", "bob", "carol"])
    expect(ids(await q((r) => r.agents.list(tenantId, { includeInactive: false, limit: 10 })))).toEqual(["alice", "bob", "carol"])
    expect(ids(await q((r) => r.agents.list(tenantId, { includeInactive: false, limit: 2 })))).toEqual(["alice", "bob"])
    expect(ids(await q((r) => r.agents.list(tenantId, { includeInactive: false, limit: 2, after: "bob" })))).toEqual(["carol"])
    expect(ids(await q((r) => r.agents.list(tenantId, { includeInactive: true, departmentIds: [sales.id], limit: 10 })))).toEqual(["Zed", "carol"])
    expect(ids(await q((r) => r.agents.list(tenantId, { includeInactive: false, departmentIds: [support.id, sales.id], limit: 10 })))).toEqual([
      "alice",
      "carol",
    ])
    expect(await q((r) => r.agents.list(tenantId, { includeInactive: true, departmentIds: [], limit: 10 }))).toEqual([])
    expect(ids(await q((r) => r.agents.list(other, { includeInactive: true, limit: 10 })))).toEqual(["alice"])
  })

  it("refuse a second agent with the same id in a tenant, and an update from a stale version", async () => {
    const tenantId = newTenant()
    const alice = agent(tenantId, "alice")
    await tx((r) => r.agents.insert(alice))
    expect(await failure(storage().transaction((r) => r.agents.insert({ ...alice, displayName: "Other" })))).toBeInstanceOf(NameTakenError)
    await tx((r) => r.agents.update({ ...alice, displayName: "Alice B.", version: 2 }))
    expect(await failure(storage().transaction((r) => r.agents.update({ ...alice, active: false, version: 2 })))).toBeInstanceOf(VersionConflictError)
    expect(await q((r) => r.agents.get(tenantId, "alice"))).toEqual({ ...alice, displayName: "Alice B.", version: 2 })
  })

  it("manage the directory through the operations, with an event for each change", async () => {
    const tenantId = newTenant()
    const admin: Principal = { tenantId, agentId: "root", role: "admin" }
    const support = await ok(useCases.createDepartment(admin, { name: "Support" }))
    const bob = await ok(useCases.createAgent(admin, { agentId: "bob", displayName: "Bob", departmentIds: [support.id, support.id] }))
    expect(bob).toMatchObject({ id: "bob", role: "agent", departmentIds: [support.id], active: true, version: 1 })
    expect(await errorOf(useCases.createAgent(admin, { agentId: "bob", displayName: "Bob again" }))).toMatchObject({ code: "name_taken" })
    expect(await errorOf(useCases.createAgent(admin, { agentId: "eve", displayName: "Eve", departmentIds: [crypto.randomUUID()] }))).toMatchObject({
      code: "not_found",
    })
    expect(await errorOf(useCases.createAgent({ ...admin, role: "supervisor" }, { agentId: "eve", displayName: "Eve" }))).toMatchObject({ code: "forbidden" })
    const promoted = await ok(useCases.updateAgent(admin, { agentId: "bob", role: "supervisor", expectedVersion: 1 }))
    expect(promoted).toMatchObject({ role: "supervisor", version: 2 })
    expect(await ok(useCases.updateAgent(admin, { agentId: "bob", role: "supervisor" }))).toEqual(promoted)
    expect(await errorOf(useCases.deactivateAgent(admin, { agentId: "bob", expectedVersion: 1 }))).toMatchObject({ code: "version_conflict" })
    expect(await ok(useCases.deactivateAgent(admin, { agentId: "bob" }))).toMatchObject({ active: false, version: 3 })
    expect((await ok(useCases.listAgents(admin, {}))).items).toEqual([])
    const all = await ok(useCases.listAgents({ ...admin, role: "agent" }, { includeInactive: true, departmentId: support.id }))
    expect(all.items.map((a) => a.id)).toEqual(["bob"])
    expect(await ok(useCases.getAgent(admin, { agentId: "bob" }))).toMatchObject({ active: false })
    expect(await errorOf(useCases.getAgent(admin, { agentId: "nobody" }))).toMatchObject({ code: "not_found", entity: "agent" })
    const events = (await ok(useCases.tenantActivity(admin, { limit: 10 }))).items.map((e) => e.type)
    expect(events.filter((type) => type.startsWith("agent."))).toEqual(["agent.deactivated", "agent.updated", "agent.created"])
  })

  it("page the directory with cursors that read on", async () => {
    const tenantId = newTenant()
    const admin: Principal = { tenantId, agentId: "root", role: "admin" }
    for (const id of ["d", "a", "c", "b", "e"]) await ok(useCases.createAgent(admin, { agentId: id, displayName: id.toUpperCase() }))
    const first = await ok(useCases.listAgents(admin, { limit: 2 }))
    const second = await ok(useCases.listAgents(admin, { limit: 2, cursor: first.nextCursor! }))
    const third = await ok(useCases.listAgents(admin, { limit: 2, cursor: second.nextCursor! }))
    expect([first, second, third].flatMap((page) => page.items.map((a) => a.id))).toEqual(["a", "b", "c", "d", "e"])
    expect(third.nextCursor).toBeNull()
  })

  it("transfer to any agent id until the tenant checks agents, then only to active members of the target department", async () => {
    const tenantId = newTenant()
    const admin: Principal = { tenantId, agentId: "root", role: "admin" }
    const alice: Principal = { tenantId, agentId: "alice", role: "agent" }
    const [sales, support] = [await ok(useCases.createDepartment(admin, { name: "Sales" })), await ok(useCases.createDepartment(admin, { name: "Support" }))]
    const contact = await ok(useCases.createContact(alice, { fullName: "Marie Curie" }))
    const conversation = await ok(useCases.openConversation(alice, { contactId: contact.id, channel: "sms" }))
    // 0.1.0 behaviour: any id goes.
    expect((await ok(useCases.transferConversation(alice, { conversationId: conversation.id, toAgentId: "nobody-1" }))).assigneeId).toBe("nobody-1")

    await ok(useCases.createAgent(admin, { agentId: "bob", displayName: "Bob", departmentIds: [sales.id] }))
    await ok(useCases.createAgent(admin, { agentId: "dan", displayName: "Dan", departmentIds: [support.id] }))
    await ok(useCases.deactivateAgent(admin, { agentId: "dan" }))
    await ok(useCases.configureTenant(admin, { routing: { knownAgentsOnly: true } }))
    const refused = async (input: { toAgentId?: string; toDepartmentId?: string }) => {
      const error = await errorOf(useCases.transferConversation(alice, { conversationId: conversation.id, ...input }))
      expect(error).toBeInstanceOf(TransferRefusedError)
      return (error as TransferRefusedError).reason
    }
    expect(await refused({ toAgentId: "nobody-2" })).toBe("unknown_agent")
    expect(await refused({ toAgentId: "dan" })).toBe("inactive_agent")
    expect(await refused({ toAgentId: "bob", toDepartmentId: support.id })).toBe("agent_not_in_department")
    // Nothing was written by the refused transfers.
    expect((await ok(useCases.getConversation(alice, { conversationId: conversation.id }))).assigneeId).toBe("nobody-1")
    const moved = await ok(useCases.transferConversation(alice, { conversationId: conversation.id, toAgentId: "bob", toDepartmentId: sales.id }))
    expect({ assigneeId: moved.assigneeId, departmentId: moved.departmentId }).toEqual({ assigneeId: "bob", departmentId: sales.id })
    // The panel offers the active agents of the directory.
    const details = await ok(useCases.getDetails(alice, { conversationId: conversation.id }))
    expect(details.routing.agents?.map((a) => a.id)).toEqual(["bob"])
    expect(details.actions.find((a) => a.name === "transfer")?.targets).toEqual(["bob"])
  })

  it("keep conversations within a department's allowed targets, and send them to the fallback while the target is closed", async () => {
    const tenantId = newTenant()
    const admin: Principal = { tenantId, agentId: "root", role: "admin" }
    const alice: Principal = { tenantId, agentId: "alice", role: "agent" }
    const create = (name: string) => ok(useCases.createDepartment(admin, { name }))
    const [sales, support, night, billing] = [await create("Sales"), await create("Support"), await create("Night desk"), await create("Billing")]
    const contact = await ok(useCases.createContact(alice, { fullName: "Marie Curie" }))
    const conversation = await ok(useCases.openConversation(alice, { contactId: contact.id, channel: "sms", departmentId: sales.id }))
    expect(
      await errorOf(useCases.configureTenant(admin, { routing: { departments: { [sales.id]: { transferTargets: [crypto.randomUUID()] } } } })),
    ).toMatchObject({ code: "validation_failed" })
    await ok(
      useCases.configureTenant(admin, {
        routing: {
          departments: {
            [sales.id]: { transferTargets: [support.id, billing.id] },
            // Open on weekdays from 14:00 Paris time: closed on Wednesday at 10:00.
            [support.id]: { businessHours: { timeZone: "Europe/Paris", weekly: weekdays("14:00", "18:00") }, fallbackDepartmentId: night.id },
            [billing.id]: { businessHours: { timeZone: "Europe/Paris", weekly: weekdays("14:00", "18:00") } },
          },
        },
      }),
    )
    const details = await ok(useCases.getDetails(alice, { conversationId: conversation.id }))
    expect(details.routing.department).toEqual({ departmentId: sales.id, open: true, nextOpeningAt: null, fallbackDepartmentId: null })
    expect(details.routing.departments).toEqual([
      { departmentId: support.id, open: false, nextOpeningAt: "2027-01-13T13:00:00.000Z", fallbackDepartmentId: night.id },
      { departmentId: billing.id, open: false, nextOpeningAt: "2027-01-13T13:00:00.000Z", fallbackDepartmentId: null },
    ])
    expect(details.actions.find((a) => a.name === "assign_department")?.targets).toEqual([support.id, billing.id])
    expect(details.routing.agents).toBeNull()

    const transfer = (toDepartmentId: string) => errorOf(useCases.transferConversation(alice, { conversationId: conversation.id, toDepartmentId }))
    expect(await transfer(night.id)).toMatchObject({ code: "transfer_refused", reason: "department_not_allowed", target: night.id })
    expect(await transfer(billing.id)).toMatchObject({ code: "transfer_refused", reason: "department_closed", target: billing.id })
    expect(await errorOf(useCases.assignDepartment(alice, { conversationId: conversation.id, departmentId: billing.id }))).toMatchObject({
      reason: "department_closed",
    })
    const rerouted = await ok(useCases.transferConversation(alice, { conversationId: conversation.id, toDepartmentId: support.id }))
    expect(rerouted.departmentId).toBe(night.id)
    const [event] = (await ok(useCases.conversationActivity(alice, { conversationId: conversation.id, limit: 1 }))).items
    expect(event).toMatchObject({ type: "conversation.transferred", after: { departmentId: night.id, requestedDepartmentId: support.id } })
    // The night desk has no rules: anything goes from there, and clearing the department is always allowed.
    expect((await ok(useCases.assignDepartment(alice, { conversationId: conversation.id, departmentId: null }))).departmentId).toBeNull()
  })
}
