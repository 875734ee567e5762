import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { ValidationError } from "../../src/domain/shared/errors"
import { type OperationName, operations } from "../../src/use-cases/catalog"
import { arbitraries, invalidInput, nameVariant } from "../../src/testing"
import { contactWithConversation, fixture } from "../use-cases/fixture"

const numRuns = Number(process.env.RMC_NUM_RUNS ?? 25)
const names = Object.keys(operations) as Array<OperationName>

const outboxSize = async (f: ReturnType<typeof fixture>) => (await f.rmc.readOutbox(0, 1_000_000)).length

describe("invariants of the Promise API", () => {
  it("refuses every invalid input with a ValidationError and writes nothing", async () => {
    const f = fixture()
    await contactWithConversation(f)
    const before = await outboxSize(f)
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...names).chain((name) => fc.tuple(fc.constant(name), invalidInput(name))),
        async ([name, input]) => {
          const api = f.root as unknown as Record<string, (input: unknown) => Promise<unknown>>
          await expect(api[name]!(input)).rejects.toBeInstanceOf(ValidationError)
        },
      ),
      { numRuns: numRuns * 4 },
    )
    expect(await outboxSize(f)).toBe(before)
  })

  it("never lets a tenant see or change another tenant's records", async () => {
    await fc.assert(
      fc.asyncProperty(arbitraries.noteBody, fc.constantFrom("agent", "supervisor", "admin" as const), async (body, role) => {
        const f = fixture()
        const { contact, conversation } = await contactWithConversation(f)
        const note = await f.alice.addNote({ subject: { kind: "conversation", id: conversation.id }, body })
        const keyword = await f.sam.createKeyword({ name: "Secret" })
        const label = await f.alice.createLabel({ name: "Private", color: "#123456" })
        const department = await f.sam.createDepartment({ name: "Hidden" })
        await f.alice.attachKeyword({ conversationId: conversation.id, keywordId: keyword.id })
        const call = await f.alice.callContact({ conversationId: conversation.id, idempotencyKey: "k" })
        const duplicate = await f.alice.createContact({ fullName: "Duplicate" })
        const { mergeId } = await f.sam.mergeContacts({
          primaryId: (await f.alice.createContact({ fullName: "Merged primary" })).id,
          secondaryId: (await f.alice.createContact({ fullName: "Merged secondary" })).id,
        })
        const before = await f.rmc.readOutbox(0, 10_000)
        const other = f.rmc.as({ tenantId: "globex", agentId: "mallory", role })
        const attempts: Array<Promise<unknown>> = [
          other.getContact({ contactId: contact.id }),
          other.updateContact({ contactId: contact.id, fullName: "Pwned" }),
          other.transformContact({ contactId: contact.id, to: "Client" }),
          other.listContactConversations({ contactId: contact.id }),
          other.contactActivity({ contactId: contact.id }),
          other.getConversation({ conversationId: conversation.id }),
          other.getCustomerView({ conversationId: conversation.id }),
          other.getDetails({ conversationId: conversation.id }),
          other.conversationActivity({ conversationId: conversation.id }),
          other.setConversationStatus({ conversationId: conversation.id, status: "resolved" }),
          other.recordConversationActivity({ conversationId: conversation.id }),
          other.assignDepartment({ conversationId: conversation.id, departmentId: null }),
          other.transferConversation({ conversationId: conversation.id, toAgentId: "mallory" }),
          other.openConversation({ contactId: contact.id, channel: "sms" }),
          other.addNote({ subject: { kind: "contact", id: contact.id }, body: "x" }),
          other.getNote({ noteId: note.id }),
          other.editNote({ noteId: note.id, body: "x" }),
          other.deleteNote({ noteId: note.id }),
          other.listNotes({ subject: { kind: "conversation", id: conversation.id } }),
          other.attachKeyword({ conversationId: conversation.id, keywordId: keyword.id }),
          other.detachKeyword({ conversationId: conversation.id, keywordId: keyword.id }),
          other.applyLabel({ conversationId: conversation.id, labelId: label.id }),
          other.removeLabel({ conversationId: conversation.id, labelId: label.id }),
          other.callContact({ conversationId: conversation.id, idempotencyKey: "k" }),
          other.listCalls({ conversationId: conversation.id }),
        ]
        if (role !== "agent") {
          attempts.push(
            other.renameKeyword({ keywordId: keyword.id, name: "Mine" }),
            other.archiveKeyword({ keywordId: keyword.id }),
            other.renameDepartment({ departmentId: department.id, name: "Mine" }),
            other.archiveDepartment({ departmentId: department.id }),
            other.updateLabel({ labelId: label.id, color: "#000000" }),
            other.archiveLabel({ labelId: label.id }),
            other.recordCallStatus({ callId: call.id, status: "failed", at: "2026-03-01T09:00:00Z" }),
            other.previewMerge({ primaryId: contact.id, secondaryId: duplicate.id }),
            other.mergeContacts({ primaryId: contact.id, secondaryId: duplicate.id }),
            other.unmergeContacts({ mergeId }),
          )
        }
        const results = await Promise.allSettled(attempts)
        for (const result of results) {
          expect(result.status).toBe("rejected")
          if (result.status === "rejected") expect(result.reason).toMatchObject({ code: "not_found" })
        }
        expect(await f.rmc.readOutbox(0, 10_000)).toEqual(before)
        expect((await other.searchConversations({})).items).toEqual([])
        expect((await other.listKeywords({ includeArchived: true })).items).toEqual([])
        expect((await other.listLabels({ includeArchived: true })).items).toEqual([])
        expect((await other.listDepartments({ includeArchived: true })).items).toEqual([])
      }),
      { numRuns: Math.min(numRuns, 10) },
    )
  })

  it("never shows a note in the customer's view of a conversation", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(arbitraries.noteBody, { minLength: 1, maxLength: 5 }), async (bodies) => {
        const f = fixture()
        const { contact, conversation } = await contactWithConversation(f)
        const marker = `note-${crypto.randomUUID()}`
        for (const body of bodies) {
          await f.alice.addNote({ subject: { kind: "conversation", id: conversation.id }, body: `${marker} ${body}` })
          await f.alice.addNote({ subject: { kind: "contact", id: contact.id }, body: `${marker} ${body}` })
        }
        const view = await f.alice.getCustomerView({ conversationId: conversation.id })
        expect(JSON.stringify(view)).not.toContain(marker)
        expect(Object.keys(view).sort()).toEqual(["channel", "createdAt", "id", "lastActivityAt", "status"])
      }),
      { numRuns: Math.min(numRuns, 10) },
    )
  })

  it("keeps keyword and label names unique per tenant, ignoring case and accents", async () => {
    await fc.assert(
      fc.asyncProperty(
        arbitraries.catalogName.chain((n) => fc.tuple(fc.constant(n), nameVariant(n))),
        async ([name, variant]) => {
          const f = fixture()
          await f.sam.createKeyword({ name })
          await expect(f.sam.createKeyword({ name: variant })).rejects.toMatchObject({ code: "name_taken" })
          await f.alice.createLabel({ name, color: "#abcdef" })
          await expect(f.bob.createLabel({ name: variant, color: "#abcdef" })).rejects.toMatchObject({ code: "name_taken" })
          expect((await f.alice.listKeywords({})).items).toHaveLength(1)
          expect((await f.alice.listLabels({})).items).toHaveLength(1)
        },
      ),
      { numRuns },
    )
  })

  it("places one call per idempotency key, however many retries arrive at once", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 8 }), fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 12 }), async (parallel, keys) => {
        const f = fixture()
        const { conversation } = await contactWithConversation(f)
        const rounds = keys.map((k) =>
          Promise.all(Array.from({ length: parallel }, () => f.alice.callContact({ conversationId: conversation.id, idempotencyKey: `key-${k}` }))),
        )
        const calls = (await Promise.all(rounds)).flat()
        const distinctKeys = new Set(keys).size
        expect(f.phone.dialed).toHaveLength(distinctKeys)
        expect(new Set(calls.map((c) => c.id)).size).toBe(distinctKeys)
        expect((await f.alice.listCalls({ conversationId: conversation.id })).items).toHaveLength(distinctKeys)
      }),
      { numRuns },
    )
  })

  it("refuses a stale version with a typed error and never loses an accepted change", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom("open", "pending", "resolved" as const), fc.integer({ min: 1, max: 6 })), { minLength: 1, maxLength: 15 }),
        async (writes) => {
          const f = fixture()
          const { conversation } = await contactWithConversation(f)
          let version = 1
          let status = conversation.status
          for (const [next, expectedVersion] of writes) {
            const attempt = f.alice.setConversationStatus({ conversationId: conversation.id, status: next, expectedVersion })
            if (expectedVersion !== version) {
              await expect(attempt).rejects.toMatchObject({ code: "version_conflict", expected: expectedVersion, actual: version })
            } else {
              const saved = await attempt
              if (next !== status) version++
              status = next
              expect(saved).toMatchObject({ status, version })
            }
          }
          expect(await f.alice.getConversation({ conversationId: conversation.id })).toMatchObject({ status, version })
        },
      ),
      { numRuns },
    )
  })

  it("keeps commands all-or-nothing: a refused transfer leaves no note and no event", async () => {
    await fc.assert(
      fc.asyncProperty(arbitraries.noteBody, async (body) => {
        const f = fixture()
        await f.root.configureTenant({ policies: { noteBeforeTransfer: true } })
        const { conversation } = await contactWithConversation(f)
        const hr = await f.sam.createDepartment({ name: "HR" })
        await f.sam.archiveDepartment({ departmentId: hr.id })
        const before = await f.rmc.readOutbox(0, 10_000)
        await expect(f.alice.transferConversation({ conversationId: conversation.id, toDepartmentId: hr.id, note: body })).rejects.toMatchObject({
          code: "archived",
        })
        expect(await f.rmc.readOutbox(0, 10_000)).toEqual(before)
        expect((await f.alice.listNotes({ subject: { kind: "conversation", id: conversation.id } })).items).toEqual([])
      }),
      { numRuns },
    )
  })
})
