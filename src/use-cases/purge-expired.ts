import { Effect } from "effect"
import * as z from "zod"
import { ExternalId, TimestampInput } from "../domain/shared/ids"
import type { StorageError, ValidationError } from "../domain/shared/errors"
import type { TenantSettings } from "../domain/tenant/tenant-settings"
import type { Clock } from "../ports/clock"
import { Storage, type StorageRepositories } from "../ports/storage"
import { currentTime, toTimestamp } from "./support/now"
import { validate } from "./support/validate"

/**
 * What a scheduled purge covers: one tenant (`tenantId`) or every tenant with stored settings,
 * as of `now` (default: the clock's time), anonymising at most `batchSize` records (default 500)
 * per transaction.
 *
 * @example
 * ```ts
 * import { PurgeExpiredOptions } from "rmc-details"
 * PurgeExpiredOptions.parse({ tenantId: "acme" })
 * ```
 */
export const PurgeExpiredOptions = z.strictObject({
  tenantId: ExternalId.optional(),
  now: TimestampInput.optional(),
  batchSize: z.number().int().min(1).max(10_000).default(500),
})
/** @see {@link PurgeExpiredOptions} */
export type PurgeExpiredOptions = z.input<typeof PurgeExpiredOptions>

/**
 * What a purge did: the tenants it looked at, and how many notes and activity events past their
 * tenant's retention it anonymised.
 *
 * @example
 * ```ts
 * import type { PurgeResult } from "rmc-details"
 * const idle = (r: PurgeResult) => r.notes === 0 && r.events === 0
 * ```
 */
export interface PurgeResult {
  readonly tenants: number
  readonly notes: number
  readonly events: number
}

const dayMs = 86_400_000
const tenantsPerRead = 100

/**
 * Applies the tenants' retention (see `TenantRetention`), for a scheduler to call (daily, say):
 * every note created more than `notesDays` days before `now` has its body and earlier bodies
 * replaced by `erasedMarker`, and the events about it lose their values (which hold its bodies);
 * every event that happened more than `activityDays` days before has
 * its `before`/`after` values replaced by `erasedValues` (in the activity log and the outbox
 * alike), except the `contact.erased` audit records. Records stay, so counts stay right. Work is
 * done in transactions of at most `batchSize` records, so that a large backlog never holds long
 * locks; a purge that fails midway keeps what its finished batches did, and the next one goes on.
 * Not an operation of a principal: run it server-side, like the outbox relay.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { purgeExpired } from "rmc-details"
 * const nightly = purgeExpired({ batchSize: 1000 }).pipe(Effect.map((r) => `${r.notes} notes, ${r.events} events purged`))
 * ```
 */
export const purgeExpired = (options: PurgeExpiredOptions = {}): Effect.Effect<PurgeResult, StorageError | ValidationError, Storage | Clock> =>
  Effect.gen(function* () {
    const parsed = yield* validate(PurgeExpiredOptions, options)
    const storage = yield* Storage
    const now = parsed.now === undefined ? yield* currentTime : toTimestamp(parsed.now)
    const cutoff = (days: number) => new Date(Date.parse(now) - days * dayMs).toISOString()
    const drain = (purge: (r: StorageRepositories) => Effect.Effect<number, StorageError>) =>
      Effect.gen(function* () {
        let total = 0
        for (;;) {
          const done = yield* storage.transaction(purge)
          total += done
          if (done < parsed.batchSize) return total
        }
      })
    const result = { tenants: 0, notes: 0, events: 0 }
    const purgeTenant = (settings: TenantSettings) =>
      Effect.gen(function* () {
        result.tenants++
        const { notesDays, activityDays } = settings.retention
        if (notesDays !== null) {
          // The bodies that the events about a note carry go with the note's own, in the same transaction.
          result.notes += yield* drain((r) =>
            Effect.gen(function* () {
              const notes = yield* r.notes.purgeBefore(settings.tenantId, cutoff(notesDays), parsed.batchSize)
              yield* r.activity.eraseAboutNotes(settings.tenantId, notes)
              return notes.length
            }),
          )
        }
        if (activityDays !== null) result.events += yield* drain((r) => r.activity.purgeBefore(settings.tenantId, cutoff(activityDays), parsed.batchSize))
      })
    if (parsed.tenantId !== undefined) {
      const { tenantId } = parsed
      const settings = yield* storage.query((r) => r.settings.get(tenantId))
      if (settings !== null) yield* purgeTenant(settings)
      return result
    }
    let after: string | null = null
    for (;;) {
      const from: string | null = after
      const page: ReadonlyArray<TenantSettings> = yield* storage.query((r) => r.settings.list(from, tenantsPerRead))
      for (const settings of page) yield* purgeTenant(settings)
      if (page.length < tenantsPerRead) return result
      after = page.at(-1)!.tenantId
    }
  })
