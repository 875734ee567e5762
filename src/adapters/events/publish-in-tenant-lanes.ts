import type { EventEnvelope } from "../../domain/events/event-envelope"

/**
 * What {@link publishInTenantLanes} achieved: `accepted` envelopes at the head of the batch were
 * published, and `failure` is the first failure in batch order, if any.
 *
 * @example
 * ```ts
 * import type { LanesResult } from "rmc-details/events"
 * const complete = (result: LanesResult) => result.failure === undefined
 * ```
 */
export interface LanesResult {
  readonly accepted: number
  readonly failure?: { readonly index: number; readonly cause: unknown } | undefined
}

/**
 * Publishes a batch with one lane per tenant: each tenant's envelopes one at a time, in order,
 * the next only once the previous is acknowledged; up to `maxLanes` tenants at once. A lane stops
 * at its first failure, so a tenant's events are never stored out of order; envelopes of other
 * tenants may be stored past the failure, and are de-duplicated when the batch is published again
 * from `accepted` on.
 *
 * @example
 * ```ts
 * import { publishInTenantLanes, type EventEnvelope } from "rmc-details/events"
 * declare const batch: ReadonlyArray<EventEnvelope>
 * const result = await publishInTenantLanes(batch, 16, async (envelope) => { await fetch("https://example.com", { method: "POST", body: JSON.stringify(envelope) }) })
 * ```
 */
export const publishInTenantLanes = async (
  envelopes: ReadonlyArray<EventEnvelope>,
  maxLanes: number,
  publishOne: (envelope: EventEnvelope) => Promise<unknown>,
): Promise<LanesResult> => {
  const lanes = new Map<string, Array<number>>()
  envelopes.forEach((envelope, index) => {
    const lane = lanes.get(envelope.tenantId)
    if (lane === undefined) lanes.set(envelope.tenantId, [index])
    else lane.push(index)
  })
  const done = new Array<boolean>(envelopes.length).fill(false)
  const failures: Array<{ index: number; cause: unknown }> = []
  const pending = [...lanes.values()]
  const worker = async () => {
    for (let lane = pending.shift(); lane !== undefined; lane = pending.shift()) {
      for (const index of lane) {
        try {
          await publishOne(envelopes[index]!)
          done[index] = true
        } catch (cause) {
          failures.push({ index, cause })
          break
        }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(maxLanes, lanes.size)) }, worker))
  const accepted = done.indexOf(false) === -1 ? envelopes.length : done.indexOf(false)
  const failure = failures.sort((a, b) => a.index - b.index)[0]
  return { accepted, failure }
}
