import { Effect } from "effect"
import { sql } from "kysely"
import type { RelayLease, RelayState, RelayStore } from "../../relay/relay-store"
import { capabilitiesOf } from "./dialect"
import type { KyselyStorageOptions } from "./kysely-storage"
import { attempt } from "./storage-errors"
import { tableNames } from "./tables"

/**
 * A {@link RelayStore} in the store's database (the `relays` table of the migrations), by the
 * database server's clock, so that relay instances on different machines agree on when a lease
 * expires. Acquisition is one conditional update; renewal, checkpoint and release are conditional
 * on the fencing token.
 *
 * @example
 * ```ts
 * import { kyselyRelayStore } from "rmc-details/kysely"
 * declare const db: import("kysely").Kysely<any>
 * const store = kyselyRelayStore({ db, dialect: "postgres" })
 * ```
 */
export const kyselyRelayStore = (options: KyselyStorageOptions): RelayStore => {
  const { db } = options
  const t = tableNames(options)
  const c = capabilitiesOf(options.dialect)
  const relays = sql.table(t.relays)
  const now = c.nowMillis
  const changed = (result: { numAffectedRows?: bigint | undefined }) => Number(result.numAffectedRows ?? 0n)

  const state = (relay: string) =>
    attempt(() => sql<Record<string, unknown>>`select holder, token, expires_at, position, published from ${relays} where name = ${relay}`.execute(db)).pipe(
      Effect.map(({ rows }): RelayState | null => {
        const r = rows[0]
        if (r === undefined) return null
        return {
          holder: r.holder === null ? null : String(r.holder),
          token: Number(r.token),
          expiresAt: Number(r.expires_at),
          position: Number(r.position),
          published: Number(r.published),
        }
      }),
    )

  const insertIgnore = (relay: string) => {
    const values = sql`(${relay}, null, 0, 0, 0, 0, ${now})`
    const columns = sql`(name, holder, token, expires_at, position, published, updated_at)`
    switch (c.insertIgnore) {
      case "on-conflict":
        return sql`insert into ${relays} ${columns} values ${values} on conflict do nothing`
      case "ignore":
        return sql`insert ignore into ${relays} ${columns} values ${values}`
      case "or-ignore":
        return sql`insert or ignore into ${relays} ${columns} values ${values}`
    }
  }

  return {
    acquire: (relay, holder, ttlMs) =>
      Effect.gen(function* () {
        yield* attempt(() => insertIgnore(relay).execute(db))
        // One conditional update: of two instances racing for an expired lease, one changes the row.
        const result = yield* attempt(() =>
          sql`update ${relays} set holder = ${holder}, token = token + 1, expires_at = ${now} + ${ttlMs}, updated_at = ${now}
            where name = ${relay} and (holder is null or expires_at <= ${now})`.execute(db),
        )
        if (changed(result) === 0) return null
        const stored = yield* state(relay)
        // Read back by holder: if yet another instance took it in between, this one does not have it.
        return stored === null || stored.holder !== holder ? null : ({ token: stored.token, position: stored.position } satisfies RelayLease)
      }),
    renew: (relay, holder, token, ttlMs) =>
      attempt(() =>
        sql`update ${relays} set expires_at = ${now} + ${ttlMs}, updated_at = ${now} where name = ${relay} and token = ${token} and holder = ${holder}`.execute(
          db,
        ),
      ).pipe(Effect.map((result) => changed(result) === 1)),
    checkpoint: (relay, token, position, published) =>
      attempt(() =>
        sql`update ${relays} set position = ${position}, published = published + ${published}, updated_at = ${now}
          where name = ${relay} and token = ${token}`.execute(db),
      ).pipe(Effect.map((result) => changed(result) === 1)),
    release: (relay, token) =>
      attempt(() => sql`update ${relays} set holder = null, expires_at = 0, updated_at = ${now} where name = ${relay} and token = ${token}`.execute(db)).pipe(
        Effect.asVoid,
      ),
    read: state,
  }
}
