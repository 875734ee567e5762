import { type Effect, Exit, Layer, Option } from "effect"
import fc from "fast-check"
import { expect, it } from "vitest"
import type { Conversation } from "../../domain/conversation/conversation"
import type { Note, NoteSubject } from "../../domain/note/note"
import type { RmcError } from "../../domain/shared/errors"
import type { Principal } from "../../domain/shared/principal"
import type { TenantVisibility } from "../../domain/tenant/tenant-settings"
import { canReadNote } from "../../domain/visibility/can-read-note"
import { canReadConversation } from "../../domain/visibility/conversation-readers"
import { rmcLayer } from "../../facade/rmc-layer"
import { Storage } from "../../ports/storage"
import { useCases } from "../../use-cases"
import { newTenant } from "./conformance-kit"
import type { StorageSubSuite } from "./storage-sub-suite"
import { type UseCasePorts, useCaseRunner } from "./use-case-runner"

/** One note of a scenario: who writes it, on what (0: the contact, 1 to 4: a conversation), and what becomes of it. */
interface NotePlan {
  readonly author: number
  readonly subject: number
  readonly edit: boolean
  readonly remove: boolean
}

const rulesArbitrary: fc.Arbitrary<TenantVisibility> = fc.record({
  notes: fc.constantFrom("all_agents", "department", "author_and_supervisors"),
  history: fc.constantFrom("all_agents", "department"),
})

const notesArbitrary: fc.Arbitrary<ReadonlyArray<NotePlan>> = fc.array(
  fc.record({ author: fc.nat({ max: 3 }), subject: fc.nat({ max: 4 }), edit: fc.boolean(), remove: fc.boolean() }),
  { minLength: 1, maxLength: 8 },
)

/**
 * The `visibility` sub-suite of the storage conformance suite: the tenant's visibility rules hold
 * on every read path, whatever the rules and whoever wrote what. Over random rules and random notes
 * (written, edited, deleted by agents of different departments and a supervisor) on a contact and
 * four conversations (in no department, in each agent's department, and one assigned to a third
 * agent), each agent reads through every read operation; no text of a note the rules keep from the
 * agent (nor any earlier revision, nor a deleted note's text) appears in what it gets, every note
 * it may read is listed, and the conversations it may not read answer `not_found` and stay out of
 * lists and searches.
 *
 * @example
 * ```ts
 * import { memoryStorage } from "rmc-details"
 * import { describeStorageConformance } from "rmc-details/testing"
 * describeStorageConformance("memory", memoryStorage(), { only: ["visibility"] })
 * ```
 */
export const visibilityConformance: StorageSubSuite = (storage, { numRuns }) => {
  const { run, ok } = useCaseRunner(() => rmcLayer({ storage: Layer.succeed(Storage, storage()) }))
  /** The answer, or the code of the typed error it failed with. */
  const attempt = async <A>(effect: Effect.Effect<A, RmcError, UseCasePorts>): Promise<A | { readonly failed: string }> => {
    const exit = await run(effect)
    if (Exit.isSuccess(exit)) return exit.value
    const error = Option.getOrUndefined(Exit.findErrorOption(exit))
    if (error === undefined) throw new Error("the operation died")
    return { failed: error.code }
  }

  it("keep every note's text and every conversation from the agents the tenant's rules keep them from, on every read path", async () => {
    await fc.assert(
      fc.asyncProperty(rulesArbitrary, notesArbitrary, async (rules, plans) => {
        const tenantId = newTenant()
        const admin: Principal = { tenantId, agentId: "root", role: "admin" }
        const supervisor: Principal = { tenantId, agentId: "sam", role: "supervisor" }
        await ok(useCases.configureTenant(admin, { visibility: rules }))
        const sales = await ok(useCases.createDepartment(supervisor, { name: "Sales" }))
        const support = await ok(useCases.createDepartment(supervisor, { name: "Support" }))
        const agents: ReadonlyArray<Principal> = [
          { tenantId, agentId: "ana", role: "agent", departmentIds: [sales.id] },
          { tenantId, agentId: "ben", role: "agent", departmentIds: [support.id] },
          { tenantId, agentId: "cyd", role: "agent" },
        ]
        const contact = await ok(useCases.createContact(supervisor, { fullName: "Visibility Case" }))
        const open = () => ok(useCases.openConversation(supervisor, { contactId: contact.id, channel: "email" }))
        const shared = await open()
        const inSales = await open()
        await ok(useCases.assignDepartment(supervisor, { conversationId: inSales.id, departmentId: sales.id }))
        const inSupport = await open()
        await ok(useCases.assignDepartment(supervisor, { conversationId: inSupport.id, departmentId: support.id }))
        const assigned = await open()
        await ok(useCases.transferConversation(supervisor, { conversationId: assigned.id, toAgentId: "cyd", toDepartmentId: support.id }))
        const conversations: ReadonlyArray<Conversation> = await Promise.all(
          [shared, inSales, inSupport, assigned].map((c) => ok(useCases.getConversation(supervisor, { conversationId: c.id }))),
        )
        const writers = [...agents, supervisor]
        const subjects: ReadonlyArray<NoteSubject> = [
          { kind: "contact", id: contact.id },
          ...conversations.map((c) => ({ kind: "conversation" as const, id: c.id })),
        ]

        // Every text a note ever had, so that a leak of any revision is seen.
        const written: Array<{ note: Note; texts: ReadonlyArray<string> }> = []
        for (const [i, plan] of plans.entries()) {
          const author = writers[plan.author]!
          const first = `secret ${i} first ${tenantId}`
          let note = await ok(useCases.addNote(author, { subject: subjects[plan.subject]!, body: first }))
          const texts = [first]
          if (plan.edit) {
            texts.push(`secret ${i} second ${tenantId}`)
            note = await ok(useCases.editNote(author, { noteId: note.id, body: texts[1]! }))
          }
          if (plan.remove) note = await ok(useCases.deleteNote(author, { noteId: note.id }))
          written.push({ note, texts })
        }
        const conversationOf = (note: Note) => (note.subject.kind === "conversation" ? conversations.find((c) => c.id === note.subject.id)! : null)

        for (const reader of agents) {
          const reads: Array<unknown> = []
          const read = async <A>(effect: Effect.Effect<A, RmcError, UseCasePorts>) => {
            const answer = await attempt(effect)
            reads.push(answer)
            return answer
          }
          for (const conversation of conversations) {
            const readable = canReadConversation(reader, { visibility: rules }, conversation)
            const got = await read(useCases.getConversation(reader, { conversationId: conversation.id }))
            expect(got).toEqual(readable ? conversation : { failed: "not_found" })
            const details = await read(useCases.getDetails(reader, { conversationId: conversation.id, notesLimit: 50, historyLimit: 50 }))
            if (readable) {
              const ids = (details as { conversations: { items: ReadonlyArray<{ id: string }> } }).conversations.items.map((c) => c.id)
              expect(ids.sort()).toEqual(
                conversations
                  .filter((c) => canReadConversation(reader, { visibility: rules }, c))
                  .map((c) => c.id)
                  .sort(),
              )
            } else {
              expect(details).toEqual({ failed: "not_found" })
            }
            await read(useCases.conversationActivity(reader, { conversationId: conversation.id, limit: 100 }))
            await read(useCases.getCustomerView(reader, { conversationId: conversation.id }))
          }
          const listed = new Map<string, ReadonlyArray<Note>>()
          for (const subject of subjects) {
            const page = await read(useCases.listNotes(reader, { subject, limit: 100 }))
            listed.set(subject.id, "items" in page ? page.items : [])
          }
          await read(useCases.contactActivity(reader, { contactId: contact.id, limit: 100 }))
          const history = await read(useCases.listContactConversations(reader, { contactId: contact.id, limit: 100 }))
          const found = await read(useCases.searchConversations(reader, { filter: { contactId: contact.id }, limit: 100 }))
          const visible = conversations.filter((c) => canReadConversation(reader, { visibility: rules }, c)).map((c) => c.id)
          for (const page of [history, found]) expect(("items" in page ? page.items : []).map((c) => c.id).sort()).toEqual([...visible].sort())
          for (const { note } of written) await read(useCases.getNote(reader, { noteId: note.id }))

          const everything = JSON.stringify(reads)
          for (const { note, texts } of written) {
            const allowed = canReadNote(reader, { visibility: rules }, note, conversationOf(note))
            // What the agent may read is its current text; never an earlier one, never a forbidden one.
            for (const text of texts) {
              if (!allowed || text !== note.body) expect(everything, `${reader.agentId} reads "${text}"`).not.toContain(text)
            }
            if (allowed) {
              expect((listed.get(note.subject.id) ?? []).map((n) => n.body)).toContain(note.body)
            }
          }
        }

        // Supervisors read every live note, and deleted ones through getNote.
        for (const { note } of written) {
          expect(await ok(useCases.getNote(supervisor, { noteId: note.id }))).toEqual(note)
        }
      }),
      { numRuns: Math.min(numRuns, 8) },
    )
  })
}
