import type { OperationName, OperationOutput } from "../../use-cases/catalog"

const contactId = "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11"
const conversationId = "0193a4f2-6e2d-7a1b-8c3d-4e5f6a7b8c9d"
const noteId = "0193a4f3-0a1b-7c2d-8e3f-405162738495"
const departmentId = "0193a4f1-1b2c-7d3e-8f40-516273849506"

/**
 * Examples of the document: a request body (as the JSON body carries it, without what the path
 * and headers carry) and an answer, for the operations a newcomer meets first. The OpenAPI tests
 * parse each with the operation's own schemas, so that none goes stale.
 *
 * @internal
 */
export const operationExamples: { readonly [K in OperationName]?: { readonly body?: Record<string, unknown>; readonly output?: OperationOutput<K> } } = {
  createContact: {
    body: { fullName: "Marie Curie", primaryPhone: "+33 6 12 34 56 78", email: "marie@example.com" },
    output: {
      id: contactId,
      tenantId: "acme",
      fullName: "Marie Curie",
      type: "Lead",
      primaryPhone: "+33612345678",
      phones: [],
      email: "marie@example.com",
      channelIdentities: [],
      createdAt: "2026-01-05T09:30:00.000Z",
      lastActivityAt: "2026-01-05T09:30:00.000Z",
      erasedAt: null,
      mergedInto: null,
      mergedAt: null,
      version: 1,
    },
  },
  openConversation: { body: { contactId, channel: "whatsapp", departmentId } },
  addNote: {
    body: { subject: { kind: "conversation", id: conversationId }, body: "Call back at 3pm about the quote" },
    output: {
      id: noteId,
      tenantId: "acme",
      subject: { kind: "conversation", id: conversationId },
      contactId,
      body: "Call back at 3pm about the quote",
      authorId: "alice",
      createdAt: "2026-01-05T10:00:00.000Z",
      editedAt: null,
      deletedAt: null,
      deletedBy: null,
      revisions: [],
      version: 1,
    },
  },
  transferConversation: { body: { toDepartmentId: departmentId, note: "Wants a quote for 40 seats" } },
  recordCallStatus: { body: { providerCallId: "CA5f1e3b", status: "answered", at: "2026-01-05T10:02:00Z" } },
  createLabel: { body: { name: "Hot prospect", color: "#e11d48", applyTo: conversationId } },
  defineAttribute: {
    body: { key: "customer_tier", label: "Customer tier", type: "enum", target: "contact", options: ["Gold", "Silver", "Bronze"] },
    output: {
      id: "0193a4f4-2c3d-7e4f-8a5b-6c7d8e9fa0b1",
      tenantId: "acme",
      key: "customer_tier",
      label: "Customer tier",
      type: "enum",
      target: "contact",
      options: ["Gold", "Silver", "Bronze"],
      required: false,
      createdAt: "2026-01-05T08:00:00.000Z",
      archivedAt: null,
      version: 1,
    },
  },
  setAttributes: {
    output: { subject: { kind: "contact", id: contactId }, values: { contract_number: "C-2026-0042", customer_tier: "Gold" }, version: 4 },
  },
  searchConversations: {
    body: {
      filter: {
        status: ["open"],
        attributes: [
          { key: "customer_tier", in: ["Gold", "Silver"] },
          { key: "seats", min: 10 },
        ],
      },
    },
  },
}
