import { Effect } from "effect"
import { uuidv7 } from "uuidv7"
import type { ActivityEvent, OutboxEntry } from "../domain/activity/activity-event"
import { isNoteEvent, withoutNoteBody } from "../domain/activity/without-note-body"
import { eventClassification } from "../domain/events/event-classification"
import { toEventEnvelope } from "../domain/events/to-event-envelope"
import type { StorageError } from "../domain/shared/errors"
import { signingSecrets, type StoredWebhookDeadLetter, type StoredWebhookSubscription } from "../domain/webhooks/webhook-subscription"
import type { Storage } from "../ports/storage"
import { deliverWebhook, type WebhookFailure, type WebhookRetryPolicy } from "../adapters/webhooks/deliver-webhook"
import type { PublishContext, RelaySink } from "./relay-sink"

/**
 * What the webhook sink reports as it works, to {@link WebhookSubscriptionsSinkOptions.onReport}.
 *
 * @example
 * ```ts
 * import type { WebhookSinkReport } from "rmc-details/relay"
 * const log = (r: WebhookSinkReport) => { if (r.type === "disabled") console.warn(`${r.subscriptionId} disabled`) }
 * ```
 */
export type WebhookSinkReport =
  | { readonly type: "delivered"; readonly tenantId: string; readonly subscriptionId: string; readonly eventId: string; readonly attempt: number }
  | {
      readonly type: "retrying"
      readonly tenantId: string
      readonly subscriptionId: string
      readonly eventId: string
      readonly attempt: number
      readonly retryInMs: number
      readonly failure: WebhookFailure
    }
  | {
      readonly type: "dead-lettered"
      readonly tenantId: string
      readonly subscriptionId: string
      readonly eventId: string
      readonly attempts: number
      readonly lastError: string
    }
  | {
      readonly type: "disabled"
      readonly tenantId: string
      readonly subscriptionId: string
      readonly consecutiveDeadLetters: number
      readonly failingSince: string
    }
  | { readonly type: "replayed"; readonly tenantId: string; readonly subscriptionId: string; readonly eventId: string }

/**
 * How the webhook sink delivers. Every field has a default.
 *
 * @example
 * ```ts
 * import type { WebhookSubscriptionsSinkOptions } from "rmc-details/relay"
 * const options: WebhookSubscriptionsSinkOptions = { policy: { maxAttempts: 3, initialDelayMs: 500, maxDelayMs: 5_000, jitter: 0.5 }, disableAfter: { deadLetters: 10 } }
 * ```
 */
export interface WebhookSubscriptionsSinkOptions {
  /** Attempts per event and the backoff between them. Default: 5 attempts, 1 s doubling to 30 s, half jittered. */
  readonly policy?: WebhookRetryPolicy | undefined
  /** How long a receiver has to answer one attempt. Default 10,000 ms. */
  readonly timeoutMs?: number | undefined
  /**
   * The time one endpoint may take on one batch. An event whose next attempt would start later is
   * dead-lettered at once, and so is every later event of the batch for that endpoint, without
   * counting towards disabling it: one slow or failing endpoint holds the relay (and every other
   * endpoint) back by at most this, plus one attempt's timeout. Default 120,000 ms.
   */
  readonly batchBudgetMs?: number | undefined
  /**
   * When an endpoint that keeps failing is disabled: after `deadLetters` dead letters in a row
   * (default 20), or when its first dead letter since its last success is older than
   * `failingForMs` (default 24 hours). A delivery that succeeds resets both.
   */
  readonly disableAfter?: { readonly deadLetters?: number | undefined; readonly failingForMs?: number | undefined } | undefined
  /** Endpoints delivered to at the same time. Default 16. */
  readonly concurrency?: number | undefined
  /** The fetch to send with; the global one by default. */
  readonly fetch?: typeof fetch | undefined
  /** Source of randomness for the jitter, in [0, 1); `Math.random` by default. */
  readonly random?: (() => number) | undefined
  /** Hears every {@link WebhookSinkReport}; an exception it throws is ignored. */
  readonly onReport?: ((report: WebhookSinkReport) => void) | undefined
}

/**
 * The default retry policy of {@link webhookSubscriptionsSink}: 5 attempts, 1 s doubling to 30 s,
 * half jittered (about 15 s from the first attempt to the dead letter). Short, because a batch
 * waits for its slowest endpoint: an endpoint down for longer is dead-lettered, then disabled,
 * and replayed once fixed.
 *
 * @example
 * ```ts
 * import { defaultWebhookSinkPolicy } from "rmc-details/relay"
 * const patient = { ...defaultWebhookSinkPolicy, maxAttempts: 8 }
 * ```
 */
export const defaultWebhookSinkPolicy: WebhookRetryPolicy = { maxAttempts: 5, initialDelayMs: 1_000, maxDelayMs: 30_000, jitter: 0.5 }

const describeFailure = (failure: WebhookFailure): string => {
  switch (failure.kind) {
    case "status":
      return `HTTP ${failure.status}`
    case "redirect":
      return `redirect ${failure.status} to ${failure.location ?? "nowhere"} (not followed)`
    case "timeout":
      return `no answer within ${failure.timeoutMs} ms`
    case "network":
      return `network: ${failure.message}`
    case "invalid_endpoint":
      return `invalid endpoint: ${failure.message}`
  }
}

/** How one attempt series for an event ended. */
type Result = { readonly _tag: "taken" } | { readonly _tag: "failed"; readonly attempts: number; readonly lastError: string; readonly counts: boolean }

const replayPage = 100

/**
 * A {@link RelaySink} that delivers the outbox to the tenants' webhook subscriptions (managed with
 * `createWebhookSubscription` and the other webhook operations, stored in `storage`). For each
 * event, every enabled subscription of its tenant whose event-type filter takes it receives it,
 * signed the Standard Webhooks way with its secrets (both during a rotation's grace period);
 * internal events (notes, personal values) only reach subscriptions that opted in.
 *
 * Each endpoint receives its events in outbox order, one at a time, retried with exponential
 * backoff and jitter (`policy`); after the last attempt, or a failure that retrying cannot heal (a
 * redirect, a 4xx), the event becomes a persisted dead letter and the endpoint's next event
 * proceeds. An endpoint that keeps failing (`disableAfter`) is disabled and a
 * `webhook_subscription.disabled` event records it; it receives nothing until an admin enables it
 * again (`updateWebhookSubscription`, or `replayWebhookDeadLetters`, which also sends its dead
 * letters again when the relay reaches the replay's event). Endpoints are delivered concurrently,
 * and `batchBudgetMs` bounds how long one endpoint can hold a batch.
 *
 * @example
 * ```ts
 * import { makeKyselyStorage, kyselyRelayStore, createKyselyDatabase } from "rmc-details/kysely"
 * import { startRelay, webhookSubscriptionsSink } from "rmc-details/relay"
 * const { db, dialect } = await createKyselyDatabase({ dialect: "sqlite", path: "details.sqlite" })
 * const storage = makeKyselyStorage({ db, dialect })
 * const relay = startRelay({ storage, store: kyselyRelayStore({ db, dialect }), name: "webhooks", sink: webhookSubscriptionsSink(storage) })
 * ```
 */
export const webhookSubscriptionsSink = (storage: Storage["Service"], options: WebhookSubscriptionsSinkOptions = {}): RelaySink<StorageError> => {
  const policy = options.policy ?? defaultWebhookSinkPolicy
  const timeoutMs = options.timeoutMs ?? 10_000
  const budgetMs = options.batchBudgetMs ?? 120_000
  const maxDeadLetters = options.disableAfter?.deadLetters ?? 20
  const failingForMs = options.disableAfter?.failingForMs ?? 24 * 3_600_000
  const concurrency = options.concurrency ?? 16
  const report = (r: WebhookSinkReport) =>
    Effect.sync(() => {
      try {
        options.onReport?.(r)
      } catch {
        // A listener's failure is its own: delivery goes on.
      }
    })

  /** The event as the outbox would serve it now: without its note's body once the note is deleted. */
  const asStoredNow = (event: ActivityEvent) =>
    isNoteEvent(event)
      ? storage
          .query((r) => r.notes.get(event.tenantId, event.subjectId))
          .pipe(Effect.map((note) => (note === null || note.deletedAt !== null ? withoutNoteBody(event) : event)))
      : Effect.succeed(event)

  /** One endpoint's share of a batch: its events, and the replays asked for it, in outbox order. */
  const lane = (initial: StoredWebhookSubscription, events: ReadonlyArray<ActivityEvent>, context: PublishContext) =>
    Effect.gen(function* () {
      let subscription = initial
      const deadline = performance.now() + budgetMs
      const endpointFor = (s: StoredWebhookSubscription) => ({
        url: s.url,
        secrets: signingSecrets(s, new Date().toISOString()),
        eventTypes: s.eventTypes ?? undefined,
        audience: s.includeInternal ? ("internal" as const) : ("shareable" as const),
      })

      const attemptAll = (event: ActivityEvent, firstAttempt: number) =>
        Effect.gen(function* () {
          for (let attempt = firstAttempt; ; attempt++) {
            // Read before every attempt: a note deleted since the event was read (or dead-lettered)
            // leaves with no body, however late the attempt.
            const envelope = toEventEnvelope(yield* asStoredNow(event))
            if (performance.now() >= deadline) {
              return {
                _tag: "failed",
                attempts: attempt - 1,
                lastError: "not attempted: the endpoint used up its time for the batch",
                counts: false,
              } satisfies Result
            }
            const outcome = yield* deliverWebhook(endpointFor(subscription), envelope, {
              attempt,
              policy,
              timeoutMs,
              fetch: options.fetch,
              random: options.random,
            })
            switch (outcome._tag) {
              case "Delivered":
                yield* report({ type: "delivered", tenantId: subscription.tenantId, subscriptionId: subscription.id, eventId: event.id, attempt })
                return { _tag: "taken" } satisfies Result
              case "Skipped":
                return { _tag: "taken" } satisfies Result
              case "DeadLettered":
                return { _tag: "failed", attempts: attempt, lastError: describeFailure(outcome.failure), counts: true } satisfies Result
              case "RetryLater":
                yield* report({
                  type: "retrying",
                  tenantId: subscription.tenantId,
                  subscriptionId: subscription.id,
                  eventId: event.id,
                  attempt,
                  retryInMs: outcome.retryInMs,
                  failure: outcome.failure,
                })
                if (performance.now() + outcome.retryInMs >= deadline) {
                  return {
                    _tag: "failed",
                    attempts: attempt,
                    lastError: `${describeFailure(outcome.failure)}; no time left for another attempt in the batch`,
                    counts: true,
                  } satisfies Result
                }
                yield* Effect.sleep(outcome.retryInMs)
            }
          }
        })

      const succeeded = Effect.gen(function* () {
        if (subscription.consecutiveDeadLetters === 0 && subscription.failingSince === null) return
        subscription = { ...subscription, consecutiveDeadLetters: 0, failingSince: null }
        yield* storage.transaction((r) =>
          r.webhooks.setDeliveryState(subscription.tenantId, subscription.id, { consecutiveDeadLetters: 0, failingSince: null }),
        )
      })

      /** Persists a dead letter; `false` when the endpoint is gone or now disabled, so the lane stops. */
      const deadLetter = (event: ActivityEvent, result: Extract<Result, { _tag: "failed" }>, previous: StoredWebhookDeadLetter | null) =>
        Effect.gen(function* () {
          const now = new Date().toISOString()
          const consecutiveDeadLetters = result.counts ? subscription.consecutiveDeadLetters + 1 : subscription.consecutiveDeadLetters
          const failingSince = result.counts ? (subscription.failingSince ?? now) : subscription.failingSince
          const disable = result.counts && (consecutiveDeadLetters >= maxDeadLetters || Date.parse(now) - Date.parse(failingSince!) >= failingForMs)
          const lastError = result.lastError.slice(0, 1000)
          const kept = yield* storage
            .transaction((r) =>
              Effect.gen(function* () {
                const stored = yield* r.webhooks.get(subscription.tenantId, subscription.id)
                if (stored === null) return false
                yield* r.webhooks.putDeadLetter({
                  id: previous?.id ?? uuidv7(),
                  tenantId: stored.tenantId,
                  subscriptionId: stored.id,
                  eventId: event.id,
                  eventType: event.type,
                  attempts: (previous?.attempts ?? 0) + result.attempts,
                  lastError,
                  deadLetteredAt: now,
                  event,
                })
                yield* r.webhooks.setDeliveryState(stored.tenantId, stored.id, { consecutiveDeadLetters, failingSince })
                if (!disable || !stored.enabled) return stored.enabled
                yield* r.webhooks.update({ ...stored, enabled: false, disabledReason: "failing", disabledAt: now, version: stored.version + 1, updatedAt: now })
                yield* r.activity.append([
                  {
                    id: uuidv7(),
                    tenantId: stored.tenantId,
                    type: "webhook_subscription.disabled",
                    at: now,
                    actorId: `relay:${context.relay}`.replace(/[^A-Za-z0-9._:@-]/g, "-").slice(0, 128),
                    actorRole: "admin",
                    subjectId: stored.id,
                    conversationId: null,
                    contactId: null,
                    before: { enabled: true },
                    after: { enabled: false, consecutiveDeadLetters, failingSince, lastError },
                  },
                ])
                return false
              }),
            )
            .pipe(
              // An admin changed the subscription meanwhile: read it again; after a few such races the
              // next dead letter disables it instead.
              Effect.retry({ times: 3, while: (error) => error._tag === "VersionConflictError" }),
              Effect.catchTag("VersionConflictError", () => Effect.succeed(true)),
            )
          subscription = { ...subscription, consecutiveDeadLetters, failingSince }
          yield* report({
            type: "dead-lettered",
            tenantId: subscription.tenantId,
            subscriptionId: subscription.id,
            eventId: event.id,
            attempts: (previous?.attempts ?? 0) + result.attempts,
            lastError,
          })
          if (disable && !kept)
            yield* report({
              type: "disabled",
              tenantId: subscription.tenantId,
              subscriptionId: subscription.id,
              consecutiveDeadLetters,
              failingSince: failingSince!,
            })
          return kept
        })

      /** Sends the dead letters a replay event names again, oldest first; `false` when the lane must stop. */
      const replay = (request: ActivityEvent) =>
        Effect.gen(function* () {
          const after = request.after ?? {}
          const one = typeof after.deadLetterId === "string" ? after.deadLetterId : null
          const until = typeof after.until === "string" ? after.until : request.at
          for (;;) {
            const letters = yield* storage.query((r) =>
              one === null
                ? r.webhooks.deadLettersUntil(subscription.tenantId, subscription.id, until, replayPage)
                : r.webhooks
                    .getDeadLetter(subscription.tenantId, one)
                    .pipe(Effect.map((d) => (d !== null && d.subscriptionId === subscription.id && d.deadLetteredAt <= until ? [d] : []))),
            )
            if (letters.length === 0) return true
            for (const letter of letters) {
              const result = yield* attemptAll(letter.event, 1)
              if (result._tag === "taken") {
                yield* storage.transaction((r) => r.webhooks.deleteDeadLetter(letter.tenantId, letter.id))
                yield* report({ type: "replayed", tenantId: letter.tenantId, subscriptionId: subscription.id, eventId: letter.eventId })
                yield* succeeded
              } else if (!(yield* deadLetter(letter.event, result, letter))) {
                return false
              }
            }
            // A letter that failed again was set aside after `until`: the next page moves on.
          }
        })

      for (const event of events) {
        if (replays(subscription, event)) {
          if (!(yield* replay(event))) return
          if (!receives(subscription, event)) continue
        }
        const result = yield* attemptAll(event, 1)
        if (result._tag === "taken") yield* succeeded
        else if (!(yield* deadLetter(event, result, null))) return
      }
    })

  const replays = (subscription: StoredWebhookSubscription, event: ActivityEvent): boolean =>
    event.type === "webhook_subscription.replay_requested" && event.subjectId === subscription.id
  const receives = (subscription: StoredWebhookSubscription, event: ActivityEvent): boolean =>
    (subscription.eventTypes === null || subscription.eventTypes.includes(event.type)) &&
    (subscription.includeInternal || eventClassification[event.type].visibility === "shareable")

  return {
    name: "webhooks",
    publish: (batch: ReadonlyArray<OutboxEntry>, context: PublishContext) =>
      Effect.gen(function* () {
        const byTenant = new Map<string, Array<ActivityEvent>>()
        for (const { event } of batch) {
          const events = byTenant.get(event.tenantId)
          if (events === undefined) byTenant.set(event.tenantId, [event])
          else events.push(event)
        }
        const lanes: Array<readonly [StoredWebhookSubscription, ReadonlyArray<ActivityEvent>]> = []
        for (const [tenantId, events] of byTenant) {
          const subscriptions = yield* storage.query((r) => r.webhooks.listEnabled(tenantId))
          for (const subscription of subscriptions) {
            const mine = events.filter((event) => replays(subscription, event) || receives(subscription, event))
            if (mine.length > 0) lanes.push([subscription, mine])
          }
        }
        yield* Effect.forEach(lanes, ([subscription, events]) => lane(subscription, events, context), { concurrency, discard: true })
      }).pipe(Effect.withSpan("rmc.relay.webhooks", { attributes: { "rmc.relay.events": batch.length } })),
  }
}
