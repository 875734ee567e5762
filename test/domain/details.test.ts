import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { Contact } from "../../src/domain/contact/contact"
import type { Conversation } from "../../src/domain/conversation/conversation"
import { CustomerConversationView, toCustomerView } from "../../src/domain/conversation/customer-conversation-view"
import { departmentChangeAllowedByPolicy, transferAllowedByPolicy } from "../../src/domain/conversation/transfer-policy"
import { availableActions } from "../../src/domain/details/available-actions"
import type { Note } from "../../src/domain/note/note"
import type { Principal } from "../../src/domain/shared/principal"
import { defaultTenantSettings, type TenantSettings } from "../../src/domain/tenant/tenant-settings"

const numRuns = Number(process.env.RMC_NUM_RUNS ?? 200)
const t0 = "2026-03-01T09:00:00.000Z"
const conversation: Conversation = {
  id: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11",
  tenantId: "acme",
  contactId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c12",
  channel: "whatsapp",
  status: "open",
  assigneeId: "alice",
  departmentId: null,
  createdAt: t0,
  lastActivityAt: t0,
  assignedAt: "2026-03-01T10:00:00.000Z",
  version: 1,
}
const contact: Contact = {
  id: conversation.contactId,
  tenantId: "acme",
  fullName: "Camille Martin",
  type: "Lead",
  primaryPhone: null,
  phones: [],
  email: null,
  channelIdentities: [],
  createdAt: t0,
  lastActivityAt: t0,
  erasedAt: null,
  mergedInto: null,
  mergedAt: null,
  version: 1,
}
const note = (fields: Partial<Note>): Note => ({
  id: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c13",
  tenantId: "acme",
  subject: { kind: "conversation", id: conversation.id },
  contactId: contact.id,
  body: "Wants a quote",
  authorId: "alice",
  createdAt: "2026-03-01T10:05:00.000Z",
  editedAt: null,
  deletedAt: null,
  deletedBy: null,
  revisions: [],
  version: 1,
  ...fields,
})
const strict: TenantSettings = { ...defaultTenantSettings("acme"), policies: { noteBeforeTransfer: true, noteBeforeDepartmentChange: true } }
const alice: Principal = { tenantId: "acme", agentId: "alice", role: "agent" }

describe("the note-before-transfer policy", () => {
  it("lets anyone transfer when the tenant does not require a note", () => {
    expect(transferAllowedByPolicy(defaultTenantSettings("acme"), conversation, [], "alice")).toBe(true)
  })

  it("needs a live note by the transferring agent on the conversation since it was assigned", () => {
    expect(transferAllowedByPolicy(strict, conversation, [note({})], "alice")).toBe(true)
    expect(transferAllowedByPolicy(strict, conversation, [], "alice")).toBe(false)
    expect(transferAllowedByPolicy(strict, conversation, [note({ authorId: "bob" })], "alice")).toBe(false)
    expect(transferAllowedByPolicy(strict, conversation, [note({ createdAt: "2026-03-01T09:59:59.999Z" })], "alice")).toBe(false)
    expect(transferAllowedByPolicy(strict, conversation, [note({ deletedAt: "2026-03-01T10:06:00.000Z" })], "alice")).toBe(false)
    expect(transferAllowedByPolicy(strict, conversation, [note({ subject: { kind: "contact", id: contact.id } })], "alice")).toBe(false)
  })
})

describe("the note-before-department-change policy", () => {
  const noteArb = fc.record({
    authorId: fc.constantFrom("alice", "bob"),
    createdAt: fc.constantFrom("2026-03-01T09:30:00.000Z", "2026-03-01T10:00:00.000Z", "2026-03-01T10:05:00.000Z"),
    deletedAt: fc.constantFrom(null, "2026-03-01T10:06:00.000Z"),
    onContact: fc.boolean(),
  })

  it("follows the same rule as the transfer policy when on, and its own switch (property)", () => {
    fc.assert(
      fc.property(fc.boolean(), fc.boolean(), fc.array(noteArb, { maxLength: 4 }), (onTransfer, onDepartment, specs) => {
        const notes = specs.map(({ onContact, ...fields }) => note({ ...fields, ...(onContact && { subject: { kind: "contact" as const, id: contact.id } }) }))
        const settings = { ...defaultTenantSettings("acme"), policies: { noteBeforeTransfer: onTransfer, noteBeforeDepartmentChange: onDepartment } }
        const bothOn = { ...settings, policies: { noteBeforeTransfer: true, noteBeforeDepartmentChange: true } }
        // The same note satisfies both policies...
        expect(departmentChangeAllowedByPolicy(bothOn, conversation, notes, "alice")).toBe(transferAllowedByPolicy(bothOn, conversation, notes, "alice"))
        // ...and each one is off unless its own switch is on.
        if (!onDepartment) expect(departmentChangeAllowedByPolicy(settings, conversation, notes, "alice")).toBe(true)
        if (!onTransfer) expect(transferAllowedByPolicy(settings, conversation, notes, "alice")).toBe(true)
      }),
      { numRuns },
    )
  })

  it("reads settings stored before the policy existed as off", () => {
    const old = { policies: { noteBeforeTransfer: true } } as unknown as TenantSettings
    expect(departmentChangeAllowedByPolicy(old, conversation, [], "alice")).toBe(true)
  })
})

describe("availableActions", () => {
  const byName = (actions: ReadonlyArray<{ name: string }>, name: string) => actions.find((a) => a.name === name)

  it("disables the call with a reason when the contact has no phone number", () => {
    const actions = availableActions(alice, defaultTenantSettings("acme"), { contact, conversation, notes: { contact: [], conversation: [] } })
    expect(byName(actions, "call")).toMatchObject({ enabled: false, reason: { code: "no_phone_number" } })
    const callable = { ...contact, primaryPhone: "+33612345678", phones: ["+33198765432"] }
    expect(
      byName(availableActions(alice, defaultTenantSettings("acme"), { contact: callable, conversation, notes: { contact: [], conversation: [] } }), "call"),
    ).toEqual({
      name: "call",
      enabled: true,
      reason: null,
      targets: ["+33612345678", "+33198765432"],
    })
  })

  it("disables the call with its own reason when no telephony system is configured, whatever the numbers", () => {
    const callable = { ...contact, primaryPhone: "+33612345678" }
    for (const who of [contact, callable]) {
      expect(
        byName(
          availableActions(alice, defaultTenantSettings("acme"), { contact: who, conversation, notes: { contact: [], conversation: [] } }, { enabled: false }),
          "call",
        ),
      ).toMatchObject({
        enabled: false,
        reason: { code: "no_telephony" },
        targets: [],
      })
    }
  })

  it("enables the call on the number of a WhatsApp identity when the contact has no phone", () => {
    const whatsappOnly = { ...contact, primaryPhone: null, phones: [], channelIdentities: [{ channel: "whatsapp" as const, handle: "+33612345678" }] }
    expect(
      byName(availableActions(alice, defaultTenantSettings("acme"), { contact: whatsappOnly, conversation, notes: { contact: [], conversation: [] } }), "call"),
    ).toMatchObject({
      enabled: true,
      targets: ["+33612345678"],
    })
  })

  it("offers the tenant's transformations from the contact's type", () => {
    const actions = availableActions(alice, defaultTenantSettings("acme"), { contact, conversation, notes: { contact: [], conversation: [] } })
    expect(byName(actions, "transform")).toMatchObject({ enabled: true, targets: ["Prospect", "Client"] })
    const client = { ...contact, type: "Client" }
    expect(
      byName(availableActions(alice, defaultTenantSettings("acme"), { contact: client, conversation, notes: { contact: [], conversation: [] } }), "transform"),
    ).toMatchObject({
      enabled: false,
      reason: { code: "no_transition" },
    })
  })

  it("follows the transfer policy and the principal's role", () => {
    expect(byName(availableActions(alice, strict, { contact, conversation, notes: { contact: [], conversation: [] } }), "transfer")).toMatchObject({
      enabled: false,
      reason: { code: "policy" },
    })
    expect(byName(availableActions(alice, strict, { contact, conversation, notes: { contact: [], conversation: [note({})] } }), "transfer")).toMatchObject({
      enabled: true,
    })
    expect(byName(availableActions(alice, strict, { contact, conversation, notes: { contact: [], conversation: [] } }), "assign_department")).toMatchObject({
      enabled: false,
      reason: { code: "policy" },
    })
    expect(
      byName(availableActions(alice, strict, { contact, conversation, notes: { contact: [], conversation: [note({})] } }), "assign_department"),
    ).toMatchObject({ enabled: true })
    expect(byName(availableActions(alice, strict, { contact, conversation, notes: { contact: [], conversation: [] } }), "manage_keywords")).toMatchObject({
      enabled: false,
      reason: { code: "forbidden" },
    })
    const sam: Principal = { ...alice, agentId: "sam", role: "supervisor" }
    expect(byName(availableActions(sam, strict, { contact, conversation, notes: { contact: [], conversation: [] } }), "manage_keywords")).toMatchObject({
      enabled: true,
    })
  })

  it("always gives a reason exactly when an action is disabled", () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Principal["role"]>("agent", "supervisor", "admin"),
        fc.boolean(),
        fc.option(fc.constant("+33612345678"), { nil: null }),
        fc.constantFrom("User", "Lead", "Prospect", "Client", "Partner"),
        (role, policy, phone, type) => {
          const settings = { ...defaultTenantSettings("acme"), policies: { noteBeforeTransfer: policy, noteBeforeDepartmentChange: policy } }
          const actions = availableActions({ ...alice, role }, settings, {
            contact: { ...contact, type, primaryPhone: phone },
            conversation,
            notes: { contact: [], conversation: [] },
          })
          for (const action of actions) expect(action.reason === null).toBe(action.enabled)
        },
      ),
      { numRuns },
    )
  })
})

describe("the customer view", () => {
  it("holds only what the customer may see, whatever the conversation", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("open", "pending", "resolved" as const),
        fc.option(
          fc.string({ minLength: 1, maxLength: 20 }).filter((s) => /^[a-z]+$/.test(s)),
          { nil: null },
        ),
        (status, assigneeId) => {
          const view = toCustomerView({ ...conversation, status, assigneeId })
          expect(Object.keys(view).sort()).toEqual(["channel", "createdAt", "id", "lastActivityAt", "status"])
          expect(CustomerConversationView.safeParse({ ...view, notes: { contact: [], conversation: [] } }).success).toBe(false)
        },
      ),
      { numRuns },
    )
  })
})
