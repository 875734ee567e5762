import type { OperationName } from "../../use-cases/catalog"

/**
 * Where an operation lives in the REST API: its method and path, which input fields come from the
 * path (a dotted name fills a nested field), and the headers it reads. Every other input field
 * comes from the query string (GET, DELETE) or the JSON body (POST, PUT, PATCH), except the fields
 * named in `query`, which come from the query string whatever the method (the paging fields of a
 * search, so that every list pages the same way).
 *
 * @internal
 */
export interface Route {
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE"
  /** OpenAPI-style template: `/contacts/{contactId}`. */
  readonly path: string
  /** Input field of each path parameter, when it is not the parameter's own name. */
  readonly params?: Readonly<Record<string, string>>
  /** The success status: 201 for creations. */
  readonly status: 200 | 201
  /** Reads `Idempotency-Key` into `idempotencyKey`. */
  readonly idempotencyKey?: boolean
  /** Reads `If-Match` into `expectedVersion`. */
  readonly ifMatch?: boolean
  /** Input fields read from the query string on a route whose other fields are in the body. */
  readonly query?: ReadonlyArray<string>
  /**
   * A paged route that also answers every page at once as a stream of items, one JSON document
   * per line (`application/x-ndjson`), to a request that accepts it.
   */
  readonly ndjson?: boolean
}

const get = (path: string, params?: Record<string, string>): Route => ({ method: "GET", path, status: 200, ...(params && { params }) })
const create = (path: string): Route => ({ method: "POST", path, status: 201, idempotencyKey: true })
const command = (method: Route["method"], path: string, ifMatch = false): Route => ({ method, path, status: 200, ...(ifMatch && { ifMatch }) })

/**
 * The route that reads what a creation made: the `GET` route one segment below the creation's own
 * path (`POST /notes` -> `GET /notes/{noteId}`), if there is one. Its answer's `Location` points there.
 *
 * @internal
 */
export const readRouteOf = (route: Route): Route | undefined =>
  route.status !== 201
    ? undefined
    : Object.values(routes).find(
        (other) => other.method === "GET" && other.path.startsWith(route.path) && /^\/\{\w+\}$/.test(other.path.slice(route.path.length)),
      )

/**
 * The REST API: one route per operation of the catalog.
 *
 * @internal
 */
export const routes: { readonly [K in OperationName]: Route } = {
  getSettings: get("/settings"),
  configureTenant: command("PATCH", "/settings", true),
  tenantActivity: get("/activity"),

  createContact: create("/contacts"),
  findContacts: get("/contacts"),
  resolveContact: command("POST", "/contacts/resolve"),
  getContact: get("/contacts/{contactId}"),
  updateContact: command("PATCH", "/contacts/{contactId}", true),
  transformContact: command("POST", "/contacts/{contactId}/transform", true),
  listContactConversations: get("/contacts/{contactId}/conversations"),
  contactActivity: get("/contacts/{contactId}/activity"),
  eraseContact: command("POST", "/contacts/{contactId}/erase", true),
  previewMerge: command("POST", "/contact-merges/preview"),
  mergeContacts: command("POST", "/contact-merges"),
  unmergeContacts: command("POST", "/contact-merges/{mergeId}/unmerge"),
  exportContact: { ...get("/contacts/{contactId}/export"), ndjson: true },

  openConversation: create("/conversations"),
  searchConversations: { ...command("POST", "/conversations/search"), query: ["limit", "cursor"] },
  getConversation: get("/conversations/{conversationId}"),
  getCustomerView: get("/conversations/{conversationId}/customer-view"),
  setConversationStatus: command("PUT", "/conversations/{conversationId}/status", true),
  recordConversationActivity: command("POST", "/conversations/{conversationId}/activity"),
  assignDepartment: command("PUT", "/conversations/{conversationId}/department", true),
  transferConversation: command("POST", "/conversations/{conversationId}/transfer", true),
  conversationActivity: get("/conversations/{conversationId}/activity"),
  getDetails: get("/conversations/{conversationId}/details"),
  volumeReport: get("/reports/volumes"),

  listDepartments: get("/departments"),
  createDepartment: create("/departments"),
  renameDepartment: command("PATCH", "/departments/{departmentId}"),
  archiveDepartment: command("POST", "/departments/{departmentId}/archive"),

  listAgents: get("/agents"),
  getAgent: get("/agents/{agentId}"),
  createAgent: { method: "POST", path: "/agents", status: 201 },
  updateAgent: command("PATCH", "/agents/{agentId}", true),
  deactivateAgent: command("POST", "/agents/{agentId}/deactivate", true),

  addNote: create("/notes"),
  listNotes: get("/subjects/{kind}/{id}/notes", { kind: "subject.kind", id: "subject.id" }),
  getNote: get("/notes/{noteId}"),
  editNote: command("PATCH", "/notes/{noteId}", true),
  deleteNote: command("DELETE", "/notes/{noteId}", true),

  listKeywords: get("/keywords"),
  createKeyword: create("/keywords"),
  renameKeyword: command("PATCH", "/keywords/{keywordId}"),
  archiveKeyword: command("POST", "/keywords/{keywordId}/archive"),
  mergeKeywords: command("POST", "/keywords/{sourceId}/merge"),
  attachKeyword: command("PUT", "/conversations/{conversationId}/keywords/{keywordId}"),
  detachKeyword: command("DELETE", "/conversations/{conversationId}/keywords/{keywordId}"),

  listLabels: get("/labels"),
  createLabel: create("/labels"),
  updateLabel: command("PATCH", "/labels/{labelId}"),
  archiveLabel: command("POST", "/labels/{labelId}/archive"),
  applyLabel: command("PUT", "/conversations/{conversationId}/labels/{labelId}"),
  removeLabel: command("DELETE", "/conversations/{conversationId}/labels/{labelId}"),

  defineAttribute: create("/attributes"),
  listAttributes: get("/attributes"),
  getAttribute: get("/attributes/{attributeId}"),
  updateAttribute: command("PATCH", "/attributes/{attributeId}", true),
  archiveAttribute: command("POST", "/attributes/{attributeId}/archive"),
  getAttributes: get("/subjects/{kind}/{id}/attributes", { kind: "subject.kind", id: "subject.id" }),
  setAttributes: { ...command("PATCH", "/subjects/{kind}/{id}/attributes", true), params: { kind: "subject.kind", id: "subject.id" } },

  callContact: { method: "POST", path: "/conversations/{conversationId}/calls", status: 201, idempotencyKey: true },
  recordCallStatus: command("POST", "/calls/status"),
  listCalls: get("/conversations/{conversationId}/calls"),

  // No Idempotency-Key: the answer holds the secret, which is stored nowhere but in the subscription.
  createWebhookSubscription: { method: "POST", path: "/webhooks/subscriptions", status: 201 },
  listWebhookSubscriptions: get("/webhooks/subscriptions"),
  getWebhookSubscription: get("/webhooks/subscriptions/{subscriptionId}"),
  updateWebhookSubscription: command("PATCH", "/webhooks/subscriptions/{subscriptionId}", true),
  rotateWebhookSecret: command("POST", "/webhooks/subscriptions/{subscriptionId}/rotate-secret", true),
  deleteWebhookSubscription: command("DELETE", "/webhooks/subscriptions/{subscriptionId}"),
  listWebhookDeadLetters: get("/webhooks/subscriptions/{subscriptionId}/dead-letters"),
  replayWebhookDeadLetters: command("POST", "/webhooks/subscriptions/{subscriptionId}/replay"),
}

/**
 * The path parameters of a route, in order, with the input field each one fills.
 *
 * @internal
 */
export const pathParameters = (route: Route): ReadonlyArray<readonly [string, string]> =>
  [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => [m[1]!, route.params?.[m[1]!] ?? m[1]!] as const)

/**
 * Whether the route's other input fields travel in the query string rather than in a JSON body.
 *
 * @internal
 */
export const inputInQuery = (route: Route): boolean => route.method === "GET" || route.method === "DELETE"

/**
 * The input fields a route reads from the query string besides its body (see `Route.query`).
 *
 * @internal
 */
export const queryFields = (route: Route): ReadonlyArray<string> => (inputInQuery(route) ? [] : (route.query ?? []))
