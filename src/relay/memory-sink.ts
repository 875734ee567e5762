import { Effect } from "effect"
import type { OutboxEntry } from "../domain/activity/activity-event"
import { type PublishContext, RelayPublishError, type RelaySink } from "./relay-sink"

/**
 * A {@link RelaySink} that keeps what it is given, for tests: every delivery in `deliveries` (with
 * the publishing context), duplicates included, and `failNext(n)` to refuse the next `n` batches.
 *
 * @example
 * ```ts
 * import { makeMemorySink } from "rmc-details/relay"
 * const sink = makeMemorySink()
 * // ... run a relay into it, then:
 * const ids = sink.deliveries.map((d) => d.entry.event.id)
 * ```
 */
export interface MemorySink extends RelaySink<RelayPublishError> {
  /** Every entry delivered, in delivery order, with the context of its batch. */
  readonly deliveries: ReadonlyArray<{ readonly entry: OutboxEntry; readonly context: PublishContext }>
  /** Refuses the next `batches` publications with a {@link RelayPublishError}. */
  failNext(batches: number): void
}

/**
 * A fresh {@link MemorySink}.
 *
 * @example
 * ```ts
 * import { makeMemorySink } from "rmc-details/relay"
 * const sink = makeMemorySink("audit")
 * sink.failNext(2)
 * ```
 */
export const makeMemorySink = (name = "memory"): MemorySink => {
  const deliveries: Array<{ entry: OutboxEntry; context: PublishContext }> = []
  let failing = 0
  return {
    name,
    deliveries,
    failNext: (batches) => {
      failing = batches
    },
    publish: (batch, context) =>
      Effect.suspend(() => {
        if (failing > 0) {
          failing--
          return Effect.fail(new RelayPublishError({ sink: name, message: "refused on purpose" }))
        }
        for (const entry of batch) deliveries.push({ entry, context })
        return Effect.void
      }),
  }
}
