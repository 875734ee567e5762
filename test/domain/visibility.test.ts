import { fc, test } from "@fast-check/vitest"
import { describe, expect } from "vitest"
import type { TenantVisibility } from "../../src/domain/tenant/tenant-settings"
import { canReadNote } from "../../src/domain/visibility/can-read-note"
import { canReadConversation, inAgentsReach, type VisibilityReader } from "../../src/domain/visibility/conversation-readers"
import { noteAsReadBy } from "../../src/domain/visibility/note-as-read-by"
import { noteReadScope } from "../../src/domain/visibility/note-read-scope"
import * as A from "../../src/testing/arbitraries/entities"

const departments = ["d-1", "d-2", "d-3"]
const agents = ["ana", "ben", "cyd"]

const rules = fc.record({
  notes: fc.constantFrom("all_agents" as const, "department" as const, "author_and_supervisors" as const),
  history: fc.constantFrom("all_agents" as const, "department" as const),
})
const reader: fc.Arbitrary<VisibilityReader> = fc.record({
  agentId: fc.constantFrom(...agents),
  role: fc.constantFrom("agent" as const, "supervisor" as const, "admin" as const),
  departmentIds: fc.option(fc.subarray(departments), { nil: undefined }),
})
const conversation = fc.record({
  departmentId: fc.option(fc.constantFrom(...departments), { nil: null }),
  assigneeId: fc.option(fc.constantFrom(...agents), { nil: null }),
})
const note = fc.record({
  authorId: fc.constantFrom(...agents, "sam"),
  deletedAt: fc.option(fc.constant("2026-03-01T09:00:00.000Z"), { nil: null }),
})
const strictness: ReadonlyArray<TenantVisibility["notes"]> = ["all_agents", "department", "author_and_supervisors"]

describe("visibility rules", () => {
  test.prop([rules, reader, conversation, note])("supervisors and admins read every live note and every conversation", (r, who, c, n) => {
    fc.pre(who.role !== "agent")
    expect(canReadConversation(who, { visibility: r }, c)).toBe(true)
    expect(canReadNote(who, { visibility: r }, n, c)).toBe(true)
    expect(canReadNote(who, { visibility: r }, n, null)).toBe(true)
  })

  test.prop([rules, reader, fc.option(conversation, { nil: null }), note])("a deleted note's text reaches supervisors and admins only", (r, who, c, n) => {
    fc.pre(n.deletedAt !== null)
    expect(canReadNote(who, { visibility: r }, n, c)).toBe(who.role !== "agent")
  })

  test.prop([rules, reader, conversation])("an agent reads nothing of a conversation it does not read, and reads the rest by scope", (r, who, c) => {
    const scope = noteReadScope(who, { visibility: r }, { kind: "conversation", conversation: c })
    expect(scope === "none").toBe(!canReadConversation(who, { visibility: r }, c))
    expect(noteReadScope(who, { visibility: r }, { kind: "contact" })).not.toBe("none")
  })

  test.prop([rules, reader, conversation])("a conversation in no department, or assigned to the agent, is in its reach", (r, who, c) => {
    if (c.departmentId === null || c.assigneeId === who.agentId) expect(canReadConversation(who, { visibility: r }, c)).toBe(true)
    expect(inAgentsReach(who, c)).toBe(c.departmentId === null || c.assigneeId === who.agentId || (who.departmentIds ?? []).includes(c.departmentId))
  })

  test.prop([rules, reader, fc.option(conversation, { nil: null }), note])(
    "under author_and_supervisors an agent reads exactly its own live notes of what it reads",
    (r, who, c, n) => {
      fc.pre(who.role === "agent" && n.deletedAt === null)
      const visibility = { ...r, notes: "author_and_supervisors" as const }
      const readsSubject = c === null || canReadConversation(who, { visibility }, c)
      expect(canReadNote(who, { visibility }, n, c)).toBe(readsSubject && n.authorId === who.agentId)
    },
  )

  test.prop([rules, reader, fc.option(conversation, { nil: null }), note])("a stricter note rule never lets an agent read more", (r, who, c, n) => {
    const reads = strictness.map((notes) => canReadNote(who, { visibility: { ...r, notes } }, n, c))
    for (let i = 1; i < reads.length; i++) if (reads[i]) expect(reads[i - 1]).toBe(true)
  })

  test.prop([
    fc.constantFrom("agent" as const, "supervisor" as const, "admin" as const),
    A.note("acme", { kind: "contact", id: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11" }, "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11"),
  ])("earlier revisions reach supervisors and admins only", (role, n) => {
    const read = noteAsReadBy({ role }, n)
    expect(read.revisions).toEqual(role === "agent" ? [] : n.revisions)
    expect({ ...read, revisions: [] }).toEqual({ ...n, revisions: [] })
  })
})
