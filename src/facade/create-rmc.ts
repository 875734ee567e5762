import { Cause, Effect, Exit, ManagedRuntime } from "effect"
import type { OutboxEntry } from "../domain/activity/activity-event"
import type { Principal } from "../domain/shared/principal"
import type { Clock } from "../ports/clock"
import type { IdGenerator } from "../ports/id-generator"
import { Storage } from "../ports/storage"
import type { Telephony } from "../ports/telephony"
import { operations, type OperationName, type RmcApi } from "../use-cases/catalog"
import { useCases } from "../use-cases"
import { type PurgeExpiredOptions, type PurgeResult, purgeExpired } from "../use-cases/purge-expired"
import { rmcLayer, type RmcPorts } from "./rmc-layer"

type Ports = Storage | Telephony | Clock | IdGenerator

/**
 * The SDK as plain Promises, for applications that do not use Effect.
 *
 * @example
 * ```ts
 * import { createRmc, memoryStorage } from "rmc-details"
 * const rmc = createRmc({ storage: memoryStorage() })
 * const alice = rmc.as({ tenantId: "acme", agentId: "alice", role: "agent" })
 * await alice.listDepartments({})
 * await rmc.dispose()
 * ```
 */
export interface Rmc {
  /** The Promise API acting as `principal`: every call is checked and scoped to its tenant. */
  as(principal: Principal): RmcApi
  /**
   * Activity events of every tenant after `afterPosition`, in commit order: the transactional
   * outbox that a relay publishes to a message bus. Not tenant-scoped: keep it server-side.
   * Events about a note deleted since come without its body.
   */
  readOutbox(afterPosition: number, limit: number): Promise<ReadonlyArray<OutboxEntry>>
  /**
   * Applies the tenants' retention (see `purgeExpired`): what a scheduler calls. Not
   * tenant-scoped by a principal: keep it server-side.
   */
  purgeExpired(options?: PurgeExpiredOptions): Promise<PurgeResult>
  /** Releases what the ports hold (pools, servers) once every pending call is done. */
  dispose(): Promise<void>
}

/**
 * Builds the Promise API over the given ports. A method resolves with the operation's output or
 * rejects with one of the SDK's typed errors (`NotFoundError`, `VersionConflictError`, ... all with
 * a stable `code`); it never rejects with a raw driver error.
 *
 * @example
 * ```ts
 * import { createRmc, memoryStorage, memoryTelephony } from "rmc-details"
 * const rmc = createRmc({ storage: memoryStorage(), telephony: memoryTelephony() })
 * const sam = rmc.as({ tenantId: "acme", agentId: "sam", role: "supervisor" })
 * const support = await sam.createDepartment({ name: "Support" })
 * ```
 */
export const createRmc = <E>(ports: RmcPorts<E>): Rmc => {
  const runtime = ManagedRuntime.make(rmcLayer(ports))
  const run = async <A>(effect: Effect.Effect<A, unknown, Ports>): Promise<A> => {
    const exit = await runtime.runPromiseExit(effect)
    if (Exit.isSuccess(exit)) return exit.value
    // A typed failure comes out as the error itself; a defect as the thrown value.
    throw Cause.squash(exit.cause)
  }
  return {
    as: (principal) =>
      Object.fromEntries(
        (Object.keys(operations) as Array<OperationName>).map((name) => [
          name,
          (input: unknown) => run((useCases[name] as (p: Principal, i: unknown) => Effect.Effect<unknown, unknown, Ports>)(principal, input)),
        ]),
      ) as unknown as RmcApi,
    readOutbox: (afterPosition, limit) =>
      run(
        Effect.gen(function* () {
          const storage = yield* Storage
          return yield* storage.query((r) => r.activity.readOutbox(afterPosition, limit))
        }),
      ),
    purgeExpired: (options) => run(purgeExpired(options)),
    dispose: () => runtime.dispose(),
  }
}
