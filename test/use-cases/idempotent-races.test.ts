import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { NotFoundError } from "../../src/domain/shared/errors"
import { Storage } from "../../src/ports/storage"
import { useCases } from "../../src/use-cases"
import { principals } from "./fixture"
import { seededMemory } from "./seeded-memory"

/**
 * A store on which the first transactions do not see the idempotency key yet, as when a retry
 * starts while the first run has not committed: the retry then runs the creation itself and
 * fails on whatever the committed first run holds (a unique name, the key...).
 */
const keyNotYetCommitted = (inner: Storage["Service"], times: number) => {
  let left = times
  return Storage.of({
    transaction: (work) =>
      inner.transaction((r) =>
        work({
          ...r,
          idempotency: { ...r.idempotency, find: (tenantId, key) => (left-- > 0 ? Effect.succeed(null) : r.idempotency.find(tenantId, key)) },
        }),
      ),
    query: (work) => inner.query(work),
  })
}

const setup = seededMemory

describe("idempotent creations retried while the first run commits", () => {
  it("a retry that hits the unique name first still gets the first answer", async () => {
    const { inner, run } = await setup()
    const label = await run(useCases.createLabel(principals.alice, { name: "Hot lead", color: "#e11d48", idempotencyKey: "label-1" }))
    const keyword = await run(useCases.createKeyword(principals.sam, { name: "Invoice", idempotencyKey: "keyword-1" }))
    const department = await run(useCases.createDepartment(principals.sam, { name: "Sales", idempotencyKey: "department-1" }))
    const late = keyNotYetCommitted(inner, 3)
    expect(await run(useCases.createLabel(principals.alice, { name: "Hot lead", color: "#e11d48", idempotencyKey: "label-1" }), late)).toEqual(label)
    expect(await run(useCases.createKeyword(principals.sam, { name: "Invoice", idempotencyKey: "keyword-1" }), late)).toEqual(keyword)
    expect(await run(useCases.createDepartment(principals.sam, { name: "Sales", idempotencyKey: "department-1" }), late)).toEqual(department)
  })

  it("a retry that hits the key first gets the first answer, and nothing is created twice", async () => {
    const { inner, run, contact, conversation } = await setup()
    const subject = { kind: "conversation" as const, id: conversation.id }
    const note = await run(useCases.addNote(principals.alice, { subject, body: "Call back at 3pm", idempotencyKey: "note-1" }))
    const opened = await run(useCases.openConversation(principals.alice, { contactId: contact.id, channel: "email", idempotencyKey: "open-1" }))
    const late = keyNotYetCommitted(inner, 2)
    expect(await run(useCases.addNote(principals.alice, { subject, body: "Call back at 3pm", idempotencyKey: "note-1" }), late)).toEqual(note)
    expect(await run(useCases.openConversation(principals.alice, { contactId: contact.id, channel: "email", idempotencyKey: "open-1" }), late)).toEqual(opened)
    expect((await run(useCases.listNotes(principals.alice, { subject }))).items).toHaveLength(1)
    const page = await run(useCases.listContactConversations(principals.alice, { contactId: contact.id }))
    expect(page.items).toHaveLength(2)
  })
})

describe("replays after a later change", () => {
  it("a replay of addNote after the note was deleted answers not_found, never the note's text", async () => {
    const { run, conversation } = await setup()
    const input = { subject: { kind: "conversation" as const, id: conversation.id }, body: "The door code is kiwi-otter", idempotencyKey: "note-2" }
    const note = await run(useCases.addNote(principals.alice, input))
    await run(useCases.deleteNote(principals.alice, { noteId: note.id }))
    for (const who of [principals.alice, principals.sam]) {
      const replay = await run(Effect.flip(useCases.addNote(who, input)))
      expect(replay).toBeInstanceOf(NotFoundError)
      // Letters no id or hash is made of: a hex digest or a uuid cannot contain them by chance.
      expect(JSON.stringify(replay)).not.toContain("kiwi-otter")
    }
  })

  it("a replay answers the record as it is now", async () => {
    const { run } = await setup()
    const keyword = await run(useCases.createKeyword(principals.sam, { name: "Facture", idempotencyKey: "keyword-2" }))
    await run(useCases.renameKeyword(principals.sam, { keywordId: keyword.id, name: "Invoice" }))
    const replay = await run(useCases.createKeyword(principals.sam, { name: "Facture", idempotencyKey: "keyword-2" }))
    expect(replay).toEqual({ ...keyword, name: "Invoice", normalizedName: "invoice" })
  })

  it("the idempotency table keeps a reference to the created record, not its content", async () => {
    const { inner, run, conversation } = await setup()
    await run(
      useCases.addNote(principals.alice, { subject: { kind: "conversation", id: conversation.id }, body: "secret kiwi-otter", idempotencyKey: "note-3" }),
    )
    const record = await Effect.runPromise(inner.query((r) => r.idempotency.find("acme", "note-3")))
    expect(JSON.stringify(record)).not.toContain("kiwi")
  })
})
