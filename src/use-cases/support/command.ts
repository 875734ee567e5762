import { Effect } from "effect"
import type { EntityKind, StorageError, VersionConflictError } from "../../domain/shared/errors"
import type { Principal } from "../../domain/shared/principal"
import type { Transition } from "../../domain/shared/transition"
import type { Clock } from "../../ports/clock"
import type { IdGenerator } from "../../ports/id-generator"
import { Storage, type StorageRepositories } from "../../ports/storage"
import { activityEvent } from "./activity"
import { expectVersion } from "./expect-version"
import { currentTime } from "./now"

/**
 * The version a caller last saw of the record a command changes: the command fails with
 * `version_conflict` when the stored record moved on since. Only for records that carry a version.
 *
 * @example
 * ```ts
 * import type { ExpectedVersion } from "rmc-details"
 * const expected: ExpectedVersion = { entity: "note", version: 3 }
 * ```
 */
export interface ExpectedVersion {
  /** The kind of record, as a conflict names it. */
  readonly entity: EntityKind
  /** The version the caller read; `undefined` when it sent none (the store's own check still holds). */
  readonly version: number | undefined
}

/**
 * What a command does to the record {@link runCommand} read for it, in the same transaction.
 *
 * @example
 * ```ts
 * import type { Agent, CommandSpec, ExpectedVersion } from "rmc-details"
 * type DeactivateSpec = CommandSpec<Agent, never, never, never, never, ExpectedVersion>
 * ```
 */
export interface CommandSpec<S, TE, TR, SE, SR, V extends ExpectedVersion | undefined = undefined> {
  /** The version the caller last saw, checked right after the read; only for a versioned record. */
  readonly expectedVersion?: S extends { readonly version: number } ? V : never
  /**
   * What the command does to the record, as a {@link Transition} (usually from a pure function of
   * the domain); it may read more, or fail with the command's own refusals, first.
   */
  readonly transition: (current: S, context: { readonly r: StorageRepositories; readonly now: string }) => Transition<S> | Effect.Effect<Transition<S>, TE, TR>
  /** Writes the next state; `current` is the state it replaces. */
  readonly save: (r: StorageRepositories, next: S, current: S) => Effect.Effect<unknown, SE, SR>
  /** The time of the command when the caller already read the clock for it (so that the record and its event agree); the clock's time otherwise. */
  readonly at?: string
}

/**
 * Runs a command on one record of the tenant of `principal`: in one transaction, reads it with
 * `load` (which fails when it is missing or may not be changed by this caller), checks
 * the version the caller last saw, applies the transition and, when it changes something, saves
 * the next state and appends its activity event (stamped with `principal` and the clock's time).
 * A transition that changes nothing writes nothing. Answers the record as it stands after the
 * command. Its errors are exactly those of `spec`'s steps, the version check (only with an
 * `expectedVersion`) and the store.
 *
 * `runCommand(principal, load)` answers the function that takes the `spec`: the record's type is
 * settled by `load` first, so the spec's steps are typed by it wherever the call is written.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { changedTo, defineUseCase, NotFoundError, runCommand, unchanged } from "rmc-details"
 * const deactivate = defineUseCase("deactivateAgent", (principal, input) =>
 *   runCommand(principal, (r) => Effect.flatMap(r.agents.get(principal.tenantId, input.agentId), (agent) =>
 *     agent === null ? Effect.fail(new NotFoundError({ message: "no such agent", entity: "agent", id: input.agentId })) : Effect.succeed(agent)))({
 *     expectedVersion: { entity: "agent", version: input.expectedVersion },
 *     transition: (agent, { now }) =>
 *       agent.active
 *         ? changedTo({ ...agent, active: false, updatedAt: now, version: agent.version + 1 },
 *             { type: "agent.deactivated", subjectId: agent.id, conversationId: null, contactId: null })
 *         : unchanged,
 *     save: (r, next) => r.agents.update(next),
 *   }))
 * ```
 */
export const runCommand =
  <S extends { readonly id: string }, LE, LR>(principal: Principal, load: (r: StorageRepositories) => Effect.Effect<S, LE, LR>) =>
  <TE = never, TR = never, SE = never, SR = never, V extends ExpectedVersion | undefined = undefined>(
    spec: CommandSpec<S, TE, TR, SE, SR, V>,
  ): Effect.Effect<S, LE | TE | SE | StorageError | (V extends ExpectedVersion ? VersionConflictError : never), LR | TR | SR | Storage | Clock | IdGenerator> =>
    Effect.gen(function* () {
      const storage = yield* Storage
      const now = spec.at ?? (yield* currentTime)
      return yield* storage.transaction((r) =>
        Effect.gen(function* () {
          const current = yield* load(r)
          const expected: ExpectedVersion | undefined = spec.expectedVersion
          if (expected !== undefined) {
            // Only a spec with an expected version gets here (V is then an ExpectedVersion), and only
            // for a versioned record (the spec's type allows no expected version for any other).
            const check = expectVersion(expected.entity, current.id, expected.version, (current as unknown as { readonly version: number }).version)
            yield* check as Effect.Effect<void, V extends ExpectedVersion ? VersionConflictError : never>
          }
          const outcome = spec.transition(current, { r, now })
          const transition = Effect.isEffect(outcome) ? yield* outcome : outcome
          if (!transition.changed) return current
          yield* spec.save(r, transition.next, current)
          yield* r.activity.append([yield* activityEvent(principal, now, transition.change.type, transition.change)])
          return transition.next
        }),
      )
    })
