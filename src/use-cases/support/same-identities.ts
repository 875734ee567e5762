import { Effect } from "effect"
import type { IdentityTakenError } from "../../domain/shared/errors"

/**
 * A contact write that keeps the contact's identities as they were (a type change, newer activity):
 * the store claims no identity for it, so it cannot fail with {@link IdentityTakenError}, and such
 * a failure would be a defect of the store.
 *
 * @internal
 */
export const withSameIdentities = <A, E, R>(write: Effect.Effect<A, E | IdentityTakenError, R>): Effect.Effect<A, Exclude<E, IdentityTakenError>, R> =>
  Effect.catchTag(write as Effect.Effect<A, IdentityTakenError, R>, "IdentityTakenError", (error) => Effect.die(error)) as Effect.Effect<
    A,
    Exclude<E, IdentityTakenError>,
    R
  >
