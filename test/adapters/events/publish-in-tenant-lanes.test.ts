import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { publishInTenantLanes } from "../../../src/adapters/events/publish-in-tenant-lanes"
import { sampleEnvelopes } from "./sample-envelopes"

describe("publishing in tenant lanes", () => {
  it("never stores a tenant's event after a failure of an earlier one of that tenant, and counts the accepted head", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 1, max: 8 }), async (count, failAt, lanes) => {
        const batch = sampleEnvelopes(count)
        const failing = batch[failAt % count]!
        const stored: Array<string> = []
        const result = await publishInTenantLanes(batch, lanes, async (envelope) => {
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 2))
          if (envelope.id === failing.id) throw new Error("broker down")
          stored.push(envelope.id)
        })
        const index = batch.indexOf(failing)
        expect(result.accepted).toBe(index)
        expect(result.failure?.index).toBe(index)
        // Nothing of the failing tenant after the failure was stored; every event before it was.
        const failedTenant = batch.filter((e) => e.tenantId === failing.tenantId).map((e) => e.id)
        expect(stored.filter((id) => failedTenant.includes(id))).toEqual(failedTenant.slice(0, failedTenant.indexOf(failing.id)))
        expect(batch.slice(0, index).every((e) => stored.includes(e.id))).toBe(true)
      }),
      { numRuns: 40 },
    )
  })

  it("publishes everything when nothing fails", async () => {
    const batch = sampleEnvelopes(50)
    const result = await publishInTenantLanes(batch, 4, async () => undefined)
    expect(result).toEqual({ accepted: 50, failure: undefined })
  })
})
