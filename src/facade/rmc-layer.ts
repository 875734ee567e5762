import { Effect, Layer } from "effect"
import { TelephonyUnavailableError } from "../domain/shared/errors"
import { AgentDirectory, type AgentDirectoryService } from "../ports/agent-directory"
import { Clock } from "../ports/clock"
import { IdGenerator } from "../ports/id-generator"
import type { Storage } from "../ports/storage"
import { Telephony } from "../ports/telephony"

/**
 * The ports an application wires for the SDK: a storage layer (required), and optionally a
 * telephony system, a clock and an id generator.
 *
 * @example
 * ```ts
 * import { memoryStorage, type RmcPorts } from "rmc-details"
 * const ports: RmcPorts<never> = { storage: memoryStorage() }
 * ```
 */
export interface RmcPorts<E = never> {
  /** Where records live: `memoryStorage()`, `kyselyStorage(...)` from `rmc-details/kysely`, or your own. */
  readonly storage: Layer.Layer<Storage, E>
  /** The VoIP system for the Call action. Without one, `callContact` fails with `TelephonyUnavailableError`. */
  readonly telephony?: Layer.Layer<Telephony, E> | undefined
  /** The time source; Effect's clock by default (so `TestClock` drives it in tests). */
  readonly clock?: Layer.Layer<Clock> | undefined
  /** The id source; UUIDv7 by default. */
  readonly ids?: Layer.Layer<IdGenerator> | undefined
  /**
   * The embedding product's own agent directory (see {@link AgentDirectoryService}); by default,
   * the directory the SDK stores, managed with the agent operations.
   */
  readonly agentDirectory?: AgentDirectoryService | undefined
}

/**
 * A telephony port for an application that has no VoIP system: every call fails with
 * {@link TelephonyUnavailableError}, and nothing is placed.
 *
 * @example
 * ```ts
 * import { noTelephony } from "rmc-details"
 * const ports = { telephony: noTelephony }
 * ```
 */
export const noTelephony: Layer.Layer<Telephony> = Layer.succeed(
  Telephony,
  Telephony.of({
    enabled: false,
    dial: () => Effect.fail(new TelephonyUnavailableError({ message: "No telephony system is configured", outcome: "not_placed" })),
  }),
)

/**
 * One layer with every port the Effect API needs, from the application's choices and the SDK's
 * defaults: provide it to any program built from `useCases`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { memoryStorage, rmcLayer, useCases } from "rmc-details"
 * const program = useCases.listLabels({ tenantId: "acme", agentId: "alice", role: "agent" }, {})
 * const labels = await Effect.runPromise(program.pipe(Effect.provide(rmcLayer({ storage: memoryStorage() }))))
 * ```
 */
export const rmcLayer = <E>(ports: RmcPorts<E>): Layer.Layer<Storage | Telephony | Clock | IdGenerator, E> => {
  const layer = Layer.mergeAll(ports.storage, ports.telephony ?? noTelephony, ports.clock ?? Clock.layer, ports.ids ?? IdGenerator.layer)
  return ports.agentDirectory === undefined ? layer : Layer.merge(layer, AgentDirectory.layer(ports.agentDirectory))
}
