import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { attributeArchiveTransition } from "../../src/domain/attribute/attribute-archive-transition"
import type { AttributeDefinition } from "../../src/domain/attribute/attribute-definition"
import { attributeUpdateTransition } from "../../src/domain/attribute/attribute-update-transition"
import { contactTypeTransition } from "../../src/domain/contact/contact-type-transition"
import { Contact } from "../../src/domain/contact/contact"
import { contactUpdateTransition } from "../../src/domain/contact/contact-update-transition"
import { newContact } from "../../src/domain/contact/new-contact"
import { conversationActivityTransition } from "../../src/domain/conversation/conversation-activity-transition"
import { conversationStatusTransition } from "../../src/domain/conversation/conversation-status-transition"
import { departmentChangeTransition } from "../../src/domain/conversation/department-change-transition"
import { transferTransition } from "../../src/domain/conversation/transfer-transition"
import { deleteNoteTransition } from "../../src/domain/note/delete-note-transition"
import { editNoteTransition } from "../../src/domain/note/edit-note-transition"
import type { Note } from "../../src/domain/note/note"
import type { Transition } from "../../src/domain/shared/transition"
import { catalogArchiveTransition } from "../../src/domain/tagging/catalog-archive-transition"
import { catalogRenameTransition } from "../../src/domain/tagging/catalog-rename-transition"
import { normalizeName } from "../../src/domain/tagging/normalize-name"
import type { StoredWebhookSubscription } from "../../src/domain/webhooks/webhook-subscription"
import { webhookSecretRotationTransition } from "../../src/domain/webhooks/webhook-secret-rotation-transition"
import { webhookSubscriptionUpdateTransition } from "../../src/domain/webhooks/webhook-subscription-update-transition"
import { arbitraries, contact, conversation, keyword, note } from "../../src/testing/arbitraries/entities"

const numRuns = Number(process.env.RMC_NUM_RUNS ?? 200)
const tenantId = "acme"

const changed = <S>(t: Transition<S>) => {
  if (!t.changed) throw new Error("expected a change")
  return t
}

const anyNote = fc
  .tuple(arbitraries.id, arbitraries.id, fc.boolean())
  .chain(([contactId, conversationId, onConversation]) =>
    note(tenantId, onConversation ? { kind: "conversation", id: conversationId } : { kind: "contact", id: contactId }, contactId),
  )
const anyConversation = fc
  .tuple(arbitraries.id, fc.option(arbitraries.id))
  .chain(([contactId, departmentId]) => conversation(tenantId, contactId, departmentId))

describe("note transitions", () => {
  it("an edit to the same body changes nothing; another body is kept as a revision, one version up", () => {
    fc.assert(
      fc.property(anyNote, arbitraries.noteBody, arbitraries.agentId, arbitraries.timestamp, (n, body, by, at) => {
        expect(editNoteTransition(n, { body: n.body, by, at }).changed).toBe(false)
        fc.pre(body !== n.body)
        const { next, change } = changed(editNoteTransition(n, { body, by, at }))
        expect(next.version).toBe(n.version + 1)
        expect(next.body).toBe(body)
        expect(next.revisions).toEqual([...n.revisions, { body: n.body, editedBy: by, editedAt: at }])
        expect(change).toEqual({
          type: "note.edited",
          subjectId: n.id,
          conversationId: n.subject.kind === "conversation" ? n.subject.id : null,
          contactId: n.contactId,
          before: { body: n.body },
          after: { body },
        })
      }),
      { numRuns },
    )
  })

  it("edits one after another keep every earlier body, oldest first", () => {
    fc.assert(
      fc.property(anyNote, fc.array(arbitraries.noteBody, { maxLength: 6 }), arbitraries.timestamp, (n, bodies, at) => {
        let current: Note = n
        const earlier: Array<string> = []
        for (const body of bodies) {
          const t = editNoteTransition(current, { body, by: "alice", at })
          if (t.changed) {
            earlier.push(current.body)
            current = t.next
          }
        }
        expect(current.revisions.map((r) => r.body)).toEqual(earlier)
        expect(current.version).toBe(n.version + earlier.length)
      }),
      { numRuns },
    )
  })

  it("a deletion is soft and happens once: the body and revisions stay, the event keeps the body", () => {
    fc.assert(
      fc.property(anyNote, arbitraries.agentId, arbitraries.timestamp, (n, by, at) => {
        const { next, change } = changed(deleteNoteTransition(n, { by, at }))
        expect(next).toEqual({ ...n, deletedAt: at, deletedBy: by, version: n.version + 1 })
        expect(change.before).toEqual({ body: n.body })
        expect(deleteNoteTransition(next, { by, at }).changed).toBe(false)
      }),
      { numRuns },
    )
  })
})

describe("conversation transitions", () => {
  it("a status change moves only the status, one version up; the same status changes nothing", () => {
    fc.assert(
      fc.property(anyConversation, arbitraries.conversationStatus, (c, status) => {
        expect(conversationStatusTransition(c, c.status).changed).toBe(false)
        fc.pre(status !== c.status)
        const { next, change } = changed(conversationStatusTransition(c, status))
        expect(next).toEqual({ ...c, status, version: c.version + 1 })
        expect(change).toMatchObject({ type: "conversation.status_changed", before: { status: c.status }, after: { status } })
      }),
      { numRuns },
    )
  })

  it("a department change keeps the assignee; the same department changes nothing", () => {
    fc.assert(
      fc.property(anyConversation, fc.option(arbitraries.id), (c, departmentId) => {
        expect(departmentChangeTransition(c, c.departmentId).changed).toBe(false)
        fc.pre(departmentId !== c.departmentId)
        const { next } = changed(departmentChangeTransition(c, departmentId))
        expect(next).toEqual({ ...c, departmentId, version: c.version + 1 })
      }),
      { numRuns },
    )
  })

  it("a transfer that moves neither assignee nor department changes nothing, even with a note", () => {
    fc.assert(
      fc.property(anyConversation, fc.option(arbitraries.id), arbitraries.timestamp, (c, noteId, at) => {
        const t = transferTransition(c, { toAgentId: c.assigneeId ?? undefined, departmentId: c.departmentId, noteId, at })
        expect(t.changed).toBe(false)
      }),
      { numRuns },
    )
  })

  it("a transfer to another agent restarts the assignment at its time; one to a department only keeps it", () => {
    fc.assert(
      fc.property(anyConversation, arbitraries.agentId, arbitraries.id, arbitraries.timestamp, (c, agentId, departmentId, at) => {
        fc.pre(agentId !== c.assigneeId && departmentId !== c.departmentId)
        const toAgent = changed(transferTransition(c, { toAgentId: agentId, departmentId: c.departmentId, noteId: null, at }))
        expect(toAgent.next).toEqual({ ...c, assigneeId: agentId, assignedAt: at, version: c.version + 1 })
        expect(toAgent.change.after).toEqual({ assigneeId: agentId, departmentId: c.departmentId, noteId: null })
        const toDepartment = changed(transferTransition(c, { departmentId, noteId: null, requestedDepartmentId: "asked", at }))
        expect(toDepartment.next).toEqual({ ...c, departmentId, version: c.version + 1 })
        expect(toDepartment.change.after).toEqual({ assigneeId: c.assigneeId, departmentId, noteId: null, requestedDepartmentId: "asked" })
      }),
      { numRuns },
    )
  })

  it("activity reports in any order leave the latest time, one version per report that moved it", () => {
    fc.assert(
      fc.property(anyConversation, fc.array(arbitraries.timestamp, { maxLength: 8 }), (c, times) => {
        let current = c
        let moves = 0
        for (const at of times) {
          const t = conversationActivityTransition(current, at)
          expect(t.changed).toBe(at > current.lastActivityAt)
          if (t.changed) {
            current = t.next
            moves++
          }
        }
        expect(current.lastActivityAt).toBe([c.lastActivityAt, ...times].toSorted().at(-1))
        expect(current.version).toBe(c.version + moves)
      }),
      { numRuns },
    )
  })
})

describe("contact transitions", () => {
  it("an update to the details it has changes nothing; otherwise the event lists exactly the fields that changed", () => {
    fc.assert(
      fc.property(
        contact(tenantId),
        fc.option(fc.constantFrom("a@example.com", "b@example.com")),
        fc.option(fc.constantFrom("Ada", "Grace")),
        (k, email, fullName) => {
          expect(contactUpdateTransition(k, k).changed).toBe(false)
          const t = contactUpdateTransition(k, { ...k, email, fullName: fullName ?? k.fullName })
          const differs = [...(fullName !== null && fullName !== k.fullName ? ["fullName"] : []), ...(email !== k.email ? ["email"] : [])]
          expect(t.changed).toBe(differs.length > 0)
          if (t.changed) {
            expect(t.next.version).toBe(k.version + 1)
            expect(Object.keys(t.change.after ?? {})).toEqual(differs)
            expect(Object.keys(t.change.before ?? {})).toEqual(differs)
          }
        },
      ),
      { numRuns },
    )
  })

  it("a transformation changes the type only, one version up, and records the reason", () => {
    fc.assert(
      fc.property(contact(tenantId), fc.constantFrom("Lead", "Client", "Partner"), fc.option(fc.string(), { nil: undefined }), (k, to, reason) => {
        const { next, change } = changed(contactTypeTransition(k, to, reason))
        expect(next).toEqual({ ...k, type: to, version: k.version + 1 })
        expect(change.after).toEqual({ type: to, reason: reason ?? null })
      }),
      { numRuns },
    )
  })
})

describe("new contacts", () => {
  it("a new contact is the given fields at version 1, live, created and last active at once, recorded as created", () => {
    fc.assert(
      fc.property(contact(tenantId), arbitraries.timestamp, (k, at) => {
        const fields = { ...k, at }
        const { contact: created, change } = newContact(fields)
        expect(Contact.safeParse(created).success).toBe(true)
        expect(created).toEqual({ ...k, createdAt: at, lastActivityAt: at, erasedAt: null, mergedInto: null, mergedAt: null, version: 1 })
        expect(change).toEqual({
          type: "contact.created",
          subjectId: k.id,
          conversationId: null,
          contactId: k.id,
          after: { fullName: k.fullName, type: k.type },
        })
        // The contact owns its lists: a caller's arrays changed later do not reach it.
        expect(created.phones).not.toBe(fields.phones)
        expect(created.channelIdentities).not.toBe(fields.channelIdentities)
      }),
      { numRuns },
    )
  })
})

describe("catalog and attribute transitions", () => {
  it("a rename to the same name changes nothing; archiving twice archives once", () => {
    fc.assert(
      fc.property(keyword(tenantId), arbitraries.catalogName, arbitraries.timestamp, (k, name, at) => {
        expect(catalogRenameTransition(k, k.name, k.normalizedName, "keyword.renamed").changed).toBe(false)
        if (name !== k.name) {
          const { next } = changed(catalogRenameTransition(k, name, normalizeName(name), "keyword.renamed"))
          expect(next).toEqual({ ...k, name, normalizedName: normalizeName(name) })
        }
        const archived = changed(catalogArchiveTransition(k, at, "keyword.archived")).next
        expect(catalogArchiveTransition(archived, at, "keyword.archived").changed).toBe(false)
      }),
      { numRuns },
    )
  })

  it("an enum's options only grow, never twice the same ignoring case; archiving twice archives once", () => {
    const definition: AttributeDefinition = {
      id: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11",
      tenantId,
      key: "tier",
      label: "Tier",
      type: "enum",
      target: "contact",
      options: ["Gold", "Silver"],
      required: false,
      createdAt: "2026-01-01T00:00:00.000Z",
      archivedAt: null,
      version: 1,
    }
    fc.assert(
      fc.property(fc.array(fc.constantFrom("gold", "SILVER", "Bronze", "Platinum")), (added) => {
        const distinct = [...new Map(added.map((o) => [o.toLowerCase(), o])).values()]
        const t = attributeUpdateTransition(definition, { addOptions: distinct })
        const fresh = distinct.filter((o) => !["gold", "silver"].includes(o.toLowerCase()))
        expect(t.changed).toBe(fresh.length > 0)
        if (t.changed) expect(t.next.options).toEqual([...definition.options, ...fresh])
      }),
      { numRuns },
    )
    const archived = changed(attributeArchiveTransition(definition, "2026-02-01T00:00:00.000Z")).next
    expect(archived.version).toBe(2)
    expect(attributeArchiveTransition(archived, "2026-03-01T00:00:00.000Z").changed).toBe(false)
  })
})

describe("webhook subscription transitions", () => {
  const stored: StoredWebhookSubscription = {
    id: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11",
    tenantId,
    url: "https://crm.example.com/hooks",
    description: null,
    eventTypes: null,
    includeInternal: false,
    enabled: false,
    disabledReason: "failing",
    disabledAt: "2026-01-01T00:00:00.000Z",
    consecutiveDeadLetters: 5,
    failingSince: "2025-12-31T00:00:00.000Z",
    previousSecretExpiresAt: null,
    version: 3,
    createdAt: "2025-12-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:00:00.000Z",
    secret: "whsec_old",
    previousSecret: null,
  }
  const at = "2026-02-01T00:00:00.000Z"

  it("enabling clears why it was disabled and its failure streak; disabling by hand records it", () => {
    const enabled = changed(webhookSubscriptionUpdateTransition(stored, { enabled: true, eventTypes: ["note.added", "note.added"] }, at)).next
    expect(enabled).toMatchObject({ enabled: true, disabledReason: null, disabledAt: null, consecutiveDeadLetters: 0, failingSince: null, version: 4 })
    expect(enabled.eventTypes).toEqual(["note.added"])
    const disabled = changed(webhookSubscriptionUpdateTransition(enabled, { enabled: false }, at))
    expect(disabled.next).toMatchObject({ enabled: false, disabledReason: "manual", disabledAt: at, version: 5 })
    expect(disabled.change.after).not.toHaveProperty("secret")
  })

  it("a rotation keeps the old secret for the grace period only, and records no secret", () => {
    const graced = changed(webhookSecretRotationTransition(stored, "whsec_new", 3600, at))
    expect(graced.next).toMatchObject({ secret: "whsec_new", previousSecret: "whsec_old", previousSecretExpiresAt: "2026-02-01T01:00:00.000Z", version: 4 })
    expect(JSON.stringify(graced.change)).not.toContain("whsec_")
    const once = changed(webhookSecretRotationTransition(stored, "whsec_new", 0, at)).next
    expect(once).toMatchObject({ previousSecret: null, previousSecretExpiresAt: null })
  })
})
