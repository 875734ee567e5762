import { Effect } from "effect"
import { erasedEvent } from "../../../domain/privacy/erasure"
import { sql } from "kysely"
import type { ActivityEvent, ActivityType } from "../../../domain/activity/activity-event"
import type { StoredWebhookDeadLetter, StoredWebhookSubscription } from "../../../domain/webhooks/webhook-subscription"
import type { StorageRepositories } from "../../../ports/storage"
import type * as R from "../rows"
import { attempt } from "../storage-errors"
import { before, type Scope } from "./scope"

const nullable = (value: unknown): string | null => (value === null || value === undefined ? null : String(value))
const json = <A>(value: unknown): A => (typeof value === "string" ? (JSON.parse(value) as A) : (value as A))

/** The columns an admin changes: every one but the delivery state. */
const subscriptionColumns = (s: StoredWebhookSubscription) => ({
  url: s.url,
  description: s.description,
  event_types: s.eventTypes === null ? null : JSON.stringify(s.eventTypes),
  include_internal: s.includeInternal ? 1 : 0,
  enabled: s.enabled ? 1 : 0,
  disabled_reason: s.disabledReason,
  disabled_at: s.disabledAt,
  secret: s.secret,
  previous_secret: s.previousSecret,
  previous_secret_expires_at: s.previousSecretExpiresAt,
  version: s.version,
  created_at: s.createdAt,
  updated_at: s.updatedAt,
})

const toSubscription = (r: R.Row): StoredWebhookSubscription => ({
  id: String(r.id),
  tenantId: String(r.tenant_id),
  url: String(r.url),
  description: nullable(r.description),
  eventTypes: r.event_types === null || r.event_types === undefined ? null : json<Array<ActivityType>>(r.event_types),
  includeInternal: Number(r.include_internal) === 1,
  enabled: Number(r.enabled) === 1,
  disabledReason: nullable(r.disabled_reason) as StoredWebhookSubscription["disabledReason"],
  disabledAt: nullable(r.disabled_at),
  consecutiveDeadLetters: Number(r.consecutive_dead_letters),
  failingSince: nullable(r.failing_since),
  secret: String(r.secret),
  previousSecret: nullable(r.previous_secret),
  previousSecretExpiresAt: nullable(r.previous_secret_expires_at),
  version: Number(r.version),
  createdAt: String(r.created_at),
  updatedAt: String(r.updated_at),
})

const toDeadLetter = (r: R.Row): StoredWebhookDeadLetter => ({
  id: String(r.id),
  tenantId: String(r.tenant_id),
  subscriptionId: String(r.subscription_id),
  eventId: String(r.event_id),
  eventType: String(r.event_type) as ActivityType,
  attempts: Number(r.attempts),
  lastError: String(r.last_error),
  deadLetteredAt: String(r.dead_lettered_at),
  event: json<ActivityEvent>(r.event),
})

/** Webhook subscriptions and their dead letters. */
export const webhooksRepository = (s: Scope): StorageRepositories["webhooks"] => {
  const { t } = s
  const subscriptions = () => s.db.selectFrom(t.webhookSubscriptions).selectAll()
  const deadLetters = () => s.db.selectFrom(t.webhookDeadLetters).selectAll()
  return {
    get: (tenantId, id) => s.byId(t.webhookSubscriptions, tenantId, id).pipe(Effect.map((r) => (r === undefined ? null : toSubscription(r)))),
    list: (tenantId, slice) =>
      attempt(() =>
        subscriptions()
          .where("tenant_id", "=", tenantId)
          .where(before(sql.ref("created_at"), sql.ref("id"), slice.after) as never)
          .orderBy("created_at", "desc")
          .orderBy("id", "desc")
          .limit(slice.limit)
          .execute(),
      ).pipe(Effect.map((rows) => rows.map(toSubscription))),
    listEnabled: (tenantId) =>
      attempt(() => subscriptions().where("tenant_id", "=", tenantId).where("enabled", "=", 1).orderBy("created_at").orderBy("id").execute()).pipe(
        Effect.map((rows) => rows.map(toSubscription)),
      ),
    insert: (subscription) =>
      attempt(() =>
        s.db
          .insertInto(t.webhookSubscriptions)
          .values({
            tenant_id: subscription.tenantId,
            id: subscription.id,
            ...subscriptionColumns(subscription),
            consecutive_dead_letters: subscription.consecutiveDeadLetters,
            failing_since: subscription.failingSince,
          })
          .execute(),
      ).pipe(Effect.asVoid),
    update: (subscription) =>
      s.versionedUpdate(
        t.webhookSubscriptions,
        "webhook_subscription",
        subscription.tenantId,
        subscription.id,
        subscription.version,
        subscriptionColumns(subscription),
      ),
    // MySQL counts only the rows an update changed, not those it matched: existence is read first.
    setDeliveryState: (tenantId, id, state) =>
      Effect.gen(function* () {
        if ((yield* s.byId(t.webhookSubscriptions, tenantId, id)) === undefined) return false
        yield* attempt(() =>
          s.db
            .updateTable(t.webhookSubscriptions)
            .set({ consecutive_dead_letters: state.consecutiveDeadLetters, failing_since: state.failingSince })
            .where("tenant_id", "=", tenantId)
            .where("id", "=", id)
            .execute(),
        )
        return true
      }),
    delete: (tenantId, id) =>
      Effect.gen(function* () {
        yield* attempt(() => s.db.deleteFrom(t.webhookDeadLetters).where("tenant_id", "=", tenantId).where("subscription_id", "=", id).execute())
        const result = yield* attempt(() => s.db.deleteFrom(t.webhookSubscriptions).where("tenant_id", "=", tenantId).where("id", "=", id).executeTakeFirst())
        return Number(result.numDeletedRows) > 0
      }),
    putDeadLetter: (d) =>
      Effect.gen(function* () {
        const values = {
          event_type: d.eventType,
          attempts: d.attempts,
          last_error: d.lastError.slice(0, 1000),
          dead_lettered_at: d.deadLetteredAt,
          event: JSON.stringify(d.event),
        }
        const existing = yield* attempt(() =>
          s.db
            .selectFrom(t.webhookDeadLetters)
            .select("id")
            .where("tenant_id", "=", d.tenantId)
            .where("subscription_id", "=", d.subscriptionId)
            .where("event_id", "=", d.eventId)
            .executeTakeFirst(),
        )
        if (existing !== undefined) {
          yield* attempt(() => s.db.updateTable(t.webhookDeadLetters).set(values).where("tenant_id", "=", d.tenantId).where("id", "=", existing.id).execute())
          return
        }
        yield* attempt(() =>
          s.db
            .insertInto(t.webhookDeadLetters)
            .values({ tenant_id: d.tenantId, id: d.id, subscription_id: d.subscriptionId, event_id: d.eventId, ...values })
            .execute(),
        )
      }),
    getDeadLetter: (tenantId, id) => s.byId(t.webhookDeadLetters, tenantId, id).pipe(Effect.map((r) => (r === undefined ? null : toDeadLetter(r)))),
    listDeadLetters: (tenantId, subscriptionId, slice) =>
      attempt(() =>
        deadLetters()
          .where("tenant_id", "=", tenantId)
          .where("subscription_id", "=", subscriptionId)
          .where(before(sql.ref("dead_lettered_at"), sql.ref("id"), slice.after) as never)
          .orderBy("dead_lettered_at", "desc")
          .orderBy("id", "desc")
          .limit(slice.limit)
          .execute(),
      ).pipe(Effect.map((rows) => rows.map(toDeadLetter))),
    deadLettersUntil: (tenantId, subscriptionId, until, limit) =>
      attempt(() =>
        deadLetters()
          .where("tenant_id", "=", tenantId)
          .where("subscription_id", "=", subscriptionId)
          .where("dead_lettered_at", "<=", until)
          .orderBy("dead_lettered_at")
          .orderBy("id")
          .limit(limit)
          .execute(),
      ).pipe(Effect.map((rows) => rows.map(toDeadLetter))),
    deleteDeadLetter: (tenantId, id) =>
      attempt(() => s.db.deleteFrom(t.webhookDeadLetters).where("tenant_id", "=", tenantId).where("id", "=", id).executeTakeFirst()).pipe(
        Effect.map((result) => Number(result.numDeletedRows) > 0),
      ),
    eraseDeadLettersByContact: (tenantId, contactId) =>
      Effect.gen(function* () {
        const rows = yield* attempt(() =>
          deadLetters()
            .where("tenant_id", "=", tenantId)
            .where("event_id", "in", s.db.selectFrom(t.activity).select("id").where("tenant_id", "=", tenantId).where("contact_id", "=", contactId))
            .execute(),
        )
        // Few events of a contact are ever set aside: each dead letter is rewritten on its own.
        yield* Effect.forEach(
          rows.map(toDeadLetter),
          (letter) =>
            attempt(() =>
              s.db
                .updateTable(t.webhookDeadLetters)
                .set({ event: JSON.stringify(erasedEvent(letter.event)) })
                .where("tenant_id", "=", tenantId)
                .where("id", "=", letter.id)
                .execute(),
            ),
          { discard: true },
        )
        return rows.length
      }),
  }
}
