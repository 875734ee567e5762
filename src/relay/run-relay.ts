import { Effect, Exit, Metric } from "effect"
import type { OutboxEntry } from "../domain/activity/activity-event"
import { Storage } from "../ports/storage"
import { relayMetrics } from "./relay-metrics"
import type { PublishContext, RelaySink } from "./relay-sink"
import type { RelayStore } from "./relay-store"

/**
 * What a relay reports as it works, to {@link RelayOptions.onReport}: the lease taken or lost, a
 * batch published (and checkpointed, with each event's lag from commit to publication), a publication that failed (it is retried), a storage error
 * (the step is retried), and its lag.
 *
 * @example
 * ```ts
 * import type { RelayReport } from "rmc-details/relay"
 * const log = (r: RelayReport) => { if (r.type === "publish-failed") console.warn(r.relay, r.attempt, r.error) }
 * ```
 */
export type RelayReport =
  | { readonly type: "lease-acquired"; readonly relay: string; readonly holder: string; readonly token: number; readonly position: number }
  | { readonly type: "lease-lost"; readonly relay: string; readonly holder: string; readonly token: number }
  | {
      readonly type: "published"
      readonly relay: string
      readonly token: number
      readonly events: number
      readonly position: number
      /** For each event of the batch, in order: seconds from its `occurredAt` to the sink's acceptance. */
      readonly lagSeconds: ReadonlyArray<number>
    }
  | {
      readonly type: "publish-failed"
      readonly relay: string
      readonly token: number
      readonly attempt: number
      readonly retryInMs: number
      readonly error: unknown
    }
  | { readonly type: "storage-failed"; readonly relay: string; readonly error: unknown }
  | { readonly type: "lag"; readonly relay: string; readonly events: number; readonly seconds: number }

/**
 * How a relay runs. Only `sink` and `store` are required.
 *
 * @example
 * ```ts
 * import { makeMemoryRelayStore, makeMemorySink, type RelayOptions } from "rmc-details/relay"
 * const options: RelayOptions = { sink: makeMemorySink(), store: makeMemoryRelayStore(), batchSize: 500, onReport: console.log }
 * ```
 */
export interface RelayOptions<E = unknown> {
  readonly sink: RelaySink<E>
  /** Where the lease and the checkpoint are kept (the database the outbox is in, normally). */
  readonly store: RelayStore
  /** The relay's name: instances with the same name share one lease and one checkpoint. Default `outbox`. */
  readonly name?: string | undefined
  /** This instance's name in the lease. Default: a random UUID. */
  readonly holder?: string | undefined
  /** Events per batch. Default 200. */
  readonly batchSize?: number | undefined
  /** How long the leader waits when the outbox has nothing new. Default 200 ms. */
  readonly idleMs?: number | undefined
  /** How long a lease lasts without renewal: a crashed leader is replaced after at most this. Default 15,000 ms. */
  readonly leaseTtlMs?: number | undefined
  /** How often a standby instance tries to take the lease. Default a third of `leaseTtlMs`. */
  readonly standbyMs?: number | undefined
  /** Backoff between publications of a refused batch: from `initialMs`, doubling up to `maxMs`, with jitter. Default 100 ms to 30 s. */
  readonly retry?: { readonly initialMs?: number | undefined; readonly maxMs?: number | undefined } | undefined
  /** How often the lag is measured while publishing. Default 1,000 ms. */
  readonly lagEveryMs?: number | undefined
  /** Hears every {@link RelayReport}; an exception it throws is ignored. */
  readonly onReport?: ((report: RelayReport) => void) | undefined
  /**
   * Runs after a batch is read and before the lease is confirmed for its publication: for
   * instrumentation and for tests that pause a leader. The relay waits for it.
   */
  readonly beforePublish?: ((batch: ReadonlyArray<OutboxEntry>) => void | Promise<void>) | undefined
}

interface Held {
  readonly token: number
  position: number
  /** Until when, on this process's monotonic clock, the lease is surely still ours. */
  deadline: number
}

/**
 * The relay as an Effect that runs until interrupted: it takes the lease (or stands by while
 * another instance holds it), reads the outbox from the checkpoint in order, publishes each batch
 * to the sink, and checkpoints it under its fencing token. Before every publication it renews the
 * lease and checks that it still holds it by its own clock: a leader that was paused past its
 * lease and replaced publishes nothing more, and its checkpoint writes are refused. A refused
 * batch is published again after a backoff, never skipped; storage errors are retried. Delivery is
 * at least once: after a crash the next leader publishes the unacknowledged batch again. Every
 * batch is traced (`rmc.relay.batch`, `rmc.relay.publish`) and counted ({@link relayMetrics}).
 * Interrupting it gives the lease up, so another instance takes over at once.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { makeMemoryStorage, Storage } from "rmc-details"
 * import { makeMemoryRelayStore, makeMemorySink, runRelay } from "rmc-details/relay"
 * const relay = runRelay({ sink: makeMemorySink(), store: makeMemoryRelayStore() }).pipe(
 *   Effect.provideService(Storage, makeMemoryStorage()),
 * )
 * const fiber = Effect.runFork(relay)
 * ```
 */
export const runRelay = <E>(options: RelayOptions<E>): Effect.Effect<never, never, Storage> =>
  Effect.gen(function* () {
    const storage = yield* Storage
    const { sink, store } = options
    const name = options.name ?? "outbox"
    const holder = options.holder ?? crypto.randomUUID()
    const batchSize = options.batchSize ?? 200
    const idleMs = options.idleMs ?? 200
    const ttl = options.leaseTtlMs ?? 15_000
    const standbyMs = options.standbyMs ?? Math.max(1, Math.floor(ttl / 3))
    const initialMs = options.retry?.initialMs ?? 100
    const maxMs = options.retry?.maxMs ?? 30_000
    const lagEveryMs = options.lagEveryMs ?? 1_000
    // The lease is trusted for a little less than it lasts: clocks drift, and a renewal takes time.
    const margin = Math.min(1_000, ttl / 10)
    const attributes = { relay: name }
    const metric = {
      published: Metric.withAttributes(relayMetrics.published, attributes),
      retried: Metric.withAttributes(relayMetrics.retried, attributes),
      failed: Metric.withAttributes(relayMetrics.failed, attributes),
      lagEvents: Metric.withAttributes(relayMetrics.lagEvents, attributes),
      lagSeconds: Metric.withAttributes(relayMetrics.lagSeconds, attributes),
      publishLag: Metric.withAttributes(relayMetrics.publishLag, attributes),
      leader: Metric.withAttributes(relayMetrics.leader, attributes),
    }
    const report = (r: RelayReport) =>
      Effect.sync(() => {
        try {
          options.onReport?.(r)
        } catch {
          // A listener's failure is its own: the relay goes on.
        }
      })
    const now = () => performance.now()
    let held: Held | null = null
    let lagMeasuredAt = Number.NEGATIVE_INFINITY
    let storageFailures = 0

    const backoff = (attempt: number) => {
      const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(attempt - 1, 30))
      return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2)
    }

    const lose = (lease: Held) =>
      Effect.gen(function* () {
        held = null
        yield* Metric.update(metric.leader, 0)
        yield* report({ type: "lease-lost", relay: name, holder, token: lease.token })
      })

    /** Renews the lease; `false` (and the lease dropped) when another instance took it. */
    const confirm = (lease: Held) =>
      Effect.gen(function* () {
        const started = now()
        const renewed = yield* store.renew(name, holder, lease.token, ttl)
        if (!renewed) {
          yield* lose(lease)
          return false
        }
        lease.deadline = started + ttl - margin
        return true
      })

    const measureLag = (lease: Held) =>
      Effect.gen(function* () {
        lagMeasuredAt = now()
        const backlog = yield* storage.query((r) => r.activity.outboxBacklog(lease.position))
        const seconds = backlog.oldestAt === null ? 0 : Math.max(0, (Date.now() - Date.parse(backlog.oldestAt)) / 1000)
        yield* Metric.update(metric.lagEvents, backlog.events)
        yield* Metric.update(metric.lagSeconds, seconds)
        yield* report({ type: "lag", relay: name, events: backlog.events, seconds })
      })

    /** Publishes one batch until the sink takes it, then checkpoints it; stops as soon as the lease is lost. */
    const publish = (lease: Held, read: ReadonlyArray<OutboxEntry>) =>
      Effect.gen(function* () {
        const context: PublishContext = { relay: name, holder, token: lease.token }
        let batch = read
        let acceptedAt = 0
        for (let attempt = 1; ; attempt++) {
          // The fence: renewed just now in the store, and still within the lease by this process's clock.
          if (!(yield* confirm(lease))) return
          if (now() >= lease.deadline) return yield* lose(lease)
          const exit = yield* Effect.exit(
            sink
              .publish(batch, context)
              .pipe(
                Effect.withSpan("rmc.relay.publish", { attributes: { "rmc.relay.name": name, "rmc.relay.sink": sink.name, "rmc.relay.attempt": attempt } }),
              ),
          )
          if (Exit.isSuccess(exit)) {
            acceptedAt = Date.now()
            break
          }
          const retryInMs = backoff(attempt)
          yield* Metric.update(metric.failed, 1)
          yield* report({ type: "publish-failed", relay: name, token: lease.token, attempt, retryInMs, error: exit.cause })
          // A relay stuck on a batch falls behind: that is when its lag matters most.
          if (now() - lagMeasuredAt >= lagEveryMs) yield* measureLag(lease)
          yield* Effect.sleep(retryInMs)
          yield* Metric.update(metric.retried, 1)
          // Read again rather than resend what was read before the backoff: a note deleted meanwhile
          // leaves with no body.
          batch = yield* storage.query((r) => r.activity.readOutbox(lease.position, batchSize))
          if (batch.length === 0) return
        }
        const last = batch.at(-1)!.position
        if (!(yield* store.checkpoint(name, lease.token, last, batch.length))) return yield* lose(lease)
        lease.position = last
        const lagSeconds = batch.map((entry) => Math.max(0, (acceptedAt - Date.parse(entry.event.at)) / 1000))
        yield* Metric.update(metric.published, batch.length)
        for (const seconds of lagSeconds) yield* Metric.update(metric.publishLag, seconds)
        yield* report({ type: "published", relay: name, token: lease.token, events: batch.length, position: last, lagSeconds })
      })

    const step = Effect.gen(function* () {
      if (held === null) {
        const started = now()
        const acquired = yield* store.acquire(name, holder, ttl).pipe(Effect.withSpan("rmc.relay.acquire", { attributes: { "rmc.relay.name": name } }))
        if (acquired === null) return yield* Effect.sleep(standbyMs)
        held = { token: acquired.token, position: acquired.position, deadline: started + ttl - margin }
        yield* Metric.update(metric.leader, 1)
        yield* report({ type: "lease-acquired", relay: name, holder, token: acquired.token, position: acquired.position })
      }
      const lease: Held = held
      // Renewed well before it runs out, even while the outbox is idle.
      if (now() > lease.deadline - ttl / 2 && !(yield* confirm(lease))) return
      const batch = yield* storage.query((r) => r.activity.readOutbox(lease.position, batchSize))
      if (batch.length === 0) {
        if (now() - lagMeasuredAt >= lagEveryMs) yield* measureLag(lease)
        return yield* Effect.sleep(idleMs)
      }
      yield* Effect.gen(function* () {
        if (options.beforePublish !== undefined) {
          const hook = options.beforePublish
          yield* Effect.promise(async () => hook(batch))
        }
        yield* publish(lease, batch)
        if (held !== null && now() - lagMeasuredAt >= lagEveryMs) yield* measureLag(lease)
      }).pipe(Effect.withSpan("rmc.relay.batch", { attributes: { "rmc.relay.name": name, "rmc.relay.events": batch.length, "rmc.relay.token": lease.token } }))
      storageFailures = 0
    })

    const guarded = step.pipe(
      Effect.catch((error) =>
        Effect.gen(function* () {
          storageFailures++
          yield* report({ type: "storage-failed", relay: name, error })
          yield* Effect.sleep(backoff(storageFailures))
        }),
      ),
    )

    const release = Effect.suspend(() => {
      const lease = held
      if (lease === null) return Effect.void
      held = null
      return Effect.andThen(Metric.update(metric.leader, 0), store.release(name, lease.token)).pipe(Effect.ignore)
    })

    return yield* Effect.forever(guarded).pipe(Effect.ensuring(release))
  })
