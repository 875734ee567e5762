import { Data, type Effect } from "effect"
import type { OutboxEntry } from "../domain/activity/activity-event"

/**
 * What a relay tells a sink along with each batch: the relay's name, the holder of its lease and
 * the lease's fencing token. A sink that can store the token beside what it writes may refuse a
 * batch whose token is lower than one it has seen: that closes the last gap a paused leader has
 * (see `docs/events.md`).
 *
 * @example
 * ```ts
 * import type { PublishContext } from "rmc-details/relay"
 * const header = (c: PublishContext) => `${c.relay}/${c.token}`
 * ```
 */
export interface PublishContext {
  readonly relay: string
  readonly holder: string
  readonly token: number
}

/**
 * Where a relay delivers the outbox: a broker, webhooks, another database. `publish` gets a batch
 * of entries in outbox order and succeeds once the sink has taken every one of them durably (a
 * broker's confirm, a 2xx); the relay checkpoints only then. It fails with its own typed error
 * otherwise, and the relay publishes the same batch again later, so a sink sees a batch at least
 * once: each entry carries its event's stable `event.id` for the sink or its consumers to ignore
 * what they already have. Events of one tenant must be delivered in the order of the batch.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { RelayPublishError, type RelaySink } from "rmc-details/relay"
 * const consoleSink: RelaySink<RelayPublishError> = {
 *   name: "console",
 *   publish: (batch) =>
 *     batch.length > 1000
 *       ? Effect.fail(new RelayPublishError({ sink: "console", message: "batch too large" }))
 *       : Effect.sync(() => batch.forEach((e) => console.log(e.event.id, e.event.type))),
 * }
 * ```
 */
export interface RelaySink<E = RelayPublishError> {
  /** A short name for metrics, spans and reports. */
  readonly name: string
  /** Delivers the batch, in order; succeeds once every entry is durably taken. */
  publish(batch: ReadonlyArray<OutboxEntry>, context: PublishContext): Effect.Effect<void, E>
}

/**
 * A sink could not take a batch: the relay reports it and publishes the batch again after a
 * backoff. Sinks may fail with errors of their own instead.
 *
 * @example
 * ```ts
 * import { RelayPublishError } from "rmc-details/relay"
 * const error = new RelayPublishError({ sink: "webhooks", message: "503 from https://example.com/hook" })
 * ```
 */
export class RelayPublishError extends Data.TaggedError("RelayPublishError")<{
  readonly sink: string
  readonly message: string
  readonly cause?: unknown
}> {}
