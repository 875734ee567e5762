import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { makeMemoryTelephony, memoryStorage } from "../../src/adapters/memory"
import type { Contact } from "../../src/domain/contact/contact"
import { identitiesOf } from "../../src/domain/contact/contact-identity"
import { createRmc } from "../../src/facade/create-rmc"
import type { RmcApi } from "../../src/use-cases/catalog"
import { validInput } from "../../src/testing"
import { steppingClock } from "../use-cases/fixture"

const numRuns = Number(process.env.RMC_NUM_RUNS ?? 25)
const fields = ["fullName", "type", "email", "primaryPhone", "attributes.tier"] as const

/** A contact's side of the story: some conversations, notes on them and on the contact, a tier. */
const side = fc.record({
  contact: validInput("createContact"),
  conversations: fc.integer({ min: 0, max: 3 }),
  notes: fc.integer({ min: 0, max: 2 }),
  tier: fc.option(fc.constantFrom("Gold", "Silver", "Bronze"), { nil: null }),
})

/**
 * What a reader observes of a contact: itself, its conversations, notes, attributes and who its
 * identities find. Versions are left out: a merge and an unmerge are changes, and move them on.
 */
const observed = async (api: RmcApi, contact: Contact) => {
  const conversations = (await api.listContactConversations({ contactId: contact.id, limit: 100 })).items
  const notesOf = async (subject: { kind: "contact" | "conversation"; id: string }) =>
    (await api.listNotes({ subject, limit: 100 })).items.map((n) => ({ id: n.id, contactId: n.contactId, subject: n.subject, body: n.body }))
  const { version: _, ...current } = await api.getContact({ contactId: contact.id })
  return {
    contact: current,
    conversations: conversations.map((c) => c.id).sort(),
    notes: [
      ...(await notesOf({ kind: "contact", id: contact.id })),
      ...(await Promise.all(conversations.map((c) => notesOf({ kind: "conversation", id: c.id })))).flat(),
    ].sort((a, b) => (a.id < b.id ? -1 : 1)),
    attributes: (await api.getAttributes({ subject: { kind: "contact", id: contact.id } })).values,
    identities: await Promise.all(
      identitiesOf(contact).map(async (identity) => {
        const found = await api.findContacts(identity.kind === "phone" ? { phone: identity.value } : { channel: identity.kind, handle: identity.value })
        return found.items.map((c) => c.id)
      }),
    ),
  }
}

describe("merging contacts", () => {
  it("merge then unmerge, with no change in between, restores both contacts as they were", async () => {
    await fc.assert(
      fc.asyncProperty(
        side,
        side,
        fc.dictionary(fc.constantFrom(...fields), fc.constantFrom("primary" as const, "secondary" as const)),
        async (a, b, choose) => {
          const rmc = createRmc({ storage: memoryStorage(), telephony: makeMemoryTelephony().layer, clock: steppingClock().layer })
          try {
            const api = rmc.as({ tenantId: "acme", agentId: "sam", role: "admin" })
            await api.defineAttribute({ key: "tier", label: "Tier", type: "text", target: "contact" })
            const create = async (s: typeof a) => {
              const contact = await api.createContact(s.contact)
              for (let i = 0; i < s.conversations; i++) {
                const conversation = await api.openConversation({ contactId: contact.id, channel: "sms" })
                for (let n = 0; n < s.notes; n++) await api.addNote({ subject: { kind: "conversation", id: conversation.id }, body: `note ${n}` })
              }
              for (let n = 0; n < s.notes; n++) await api.addNote({ subject: { kind: "contact", id: contact.id }, body: `about ${n}` })
              if (s.tier !== null) await api.setAttributes({ subject: { kind: "contact", id: contact.id }, values: { tier: s.tier } })
              return api.getContact({ contactId: contact.id })
            }
            const primary = await create(a)
            // Identities are unique per tenant: two random contacts rarely share one, and such a pair proves nothing here.
            const secondary = await create(b).catch((error: unknown) => {
              if ((error as { code?: unknown }).code === "identity_taken") return null
              throw error
            })
            if (secondary === null) return
            const before = [await observed(api, primary), await observed(api, secondary)]
            const { mergeId } = await api.mergeContacts({ primaryId: primary.id, secondaryId: secondary.id, choose })
            await api.unmergeContacts({ mergeId })
            expect([await observed(api, primary), await observed(api, secondary)]).toEqual(before)
          } finally {
            await rmc.dispose()
          }
        },
      ),
      { numRuns },
    )
  }, 120_000)
})
