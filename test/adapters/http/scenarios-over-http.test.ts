import { afterAll, expect } from "vitest"
import { transport } from "../../use-cases/fixture"

// Every scenario of the Promise API, again through the REST server and the typed client.
transport.kind = "http"
afterAll(async () => {
  // every scenario really went through a server of its own
  expect(transport.servers.length).toBeGreaterThanOrEqual(29)
  await Promise.all(transport.servers.map(async (server) => (await server).close()))
})
await import("../../use-cases/contacts.test")
await import("../../use-cases/conversations.test")
await import("../../use-cases/notes.test")
await import("../../use-cases/catalogs.test")
await import("../../use-cases/calls.test")
await import("../../use-cases/details.test")
await import("../../use-cases/webhook-subscriptions.test")
await import("../../use-cases/visibility.test")
await import("../../use-cases/attributes.test")
await import("../../use-cases/privacy.test")
