import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { publicWebhookSubscription, signingSecrets, type StoredWebhookSubscription } from "../../src/domain/webhooks/webhook-subscription"
import { webhookUrlProblem } from "../../src/domain/webhooks/webhook-url-problem"

const numRuns = Number(process.env.RMC_NUM_RUNS ?? 200)

const host = fc.domain().filter((d) => d !== "localhost")
const path = fc.webPath()

describe("webhook endpoint URLs", () => {
  it("accept any https URL without credentials", () => {
    fc.assert(
      fc.property(host, path, (h, p) => {
        expect(webhookUrlProblem(`https://${h}${p}`)).toBeUndefined()
      }),
      { numRuns },
    )
  })

  it("refuse http off the loopback interface unless allowed, and accept it on loopback", () => {
    fc.assert(
      fc.property(host, path, fc.constantFrom("localhost", "127.0.0.1", "[::1]"), fc.integer({ min: 1, max: 65535 }), (h, p, loopback, port) => {
        expect(webhookUrlProblem(`http://${h}${p}`)).toMatch(/https/)
        expect(webhookUrlProblem(`http://${h}${p}`, true)).toBeUndefined()
        expect(webhookUrlProblem(`http://${loopback}:${port}${p}`)).toBeUndefined()
      }),
      { numRuns },
    )
  })

  it("refuse credentials, other schemes and what is not a URL", () => {
    expect(webhookUrlProblem("https://user:secret@crm.example.com/hook")).toMatch(/credentials/)
    expect(webhookUrlProblem("ftp://crm.example.com/hook", true)).toMatch(/https/)
    expect(webhookUrlProblem("/relative/hook")).toMatch(/absolute/)
    // 127.0.0.1 in a subdomain is not the loopback interface.
    expect(webhookUrlProblem("http://127.0.0.1.attacker.example/hook")).toMatch(/https/)
  })
})

const stored = (now: number, grace: number | null): StoredWebhookSubscription => ({
  id: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11",
  tenantId: "acme",
  url: "https://crm.example.com/hook",
  description: null,
  eventTypes: null,
  includeInternal: false,
  enabled: true,
  disabledReason: null,
  disabledAt: null,
  consecutiveDeadLetters: 0,
  failingSince: null,
  previousSecretExpiresAt: grace === null ? null : new Date(now + grace).toISOString(),
  version: 2,
  createdAt: new Date(now).toISOString(),
  updatedAt: new Date(now).toISOString(),
  secret: "whsec_new",
  previousSecret: grace === null ? null : "whsec_old",
})

describe("signing secrets", () => {
  it("are the new and the previous secret until the grace period ends, then the new one alone", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 40 }),
        fc.option(fc.integer({ min: -1e9, max: 1e9 })),
        fc.integer({ min: -1e9, max: 1e9 }),
        (start, grace, later) => {
          const s = stored(start + 2e9, grace)
          const at = new Date(start + 2e9 + later).toISOString()
          const expected = grace !== null && later < grace ? ["whsec_new", "whsec_old"] : ["whsec_new"]
          expect(signingSecrets(s, at)).toEqual(expected)
        },
      ),
      { numRuns },
    )
  })

  it("are never part of what a read shows", () => {
    const visible = publicWebhookSubscription(stored(Date.now(), 1000))
    expect(JSON.stringify(visible)).not.toContain("whsec_")
  })
})
