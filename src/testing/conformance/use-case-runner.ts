import { Effect, Exit, type Layer, Option } from "effect"
import type { RmcError } from "../../domain/shared/errors"
import type { rmcLayer } from "../../facade/rmc-layer"

/** What the use cases need, as `rmcLayer` provides it. */
export type UseCasePorts = Layer.Success<ReturnType<typeof rmcLayer>>

/**
 * Runs the SDK's use cases on the ports a sub-suite builds (a fresh layer per run, over the store
 * under test): `run` answers the exit, `ok` the success (a failure throws, naming the error), and
 * `errorOf` the typed error (`undefined` on a success).
 */
export const useCaseRunner = (layer: () => Layer.Layer<UseCasePorts>) => {
  const run = <A, E>(effect: Effect.Effect<A, E, UseCasePorts>): Promise<Exit.Exit<A, E>> =>
    Effect.runPromise(Effect.exit(Effect.provide(effect, layer()) as Effect.Effect<A, E>))
  const ok = async <A, E>(effect: Effect.Effect<A, E, UseCasePorts>): Promise<A> => {
    const exit = await run(effect)
    if (Exit.isFailure(exit)) throw new Error(`expected a success, got ${String(Option.getOrUndefined(Exit.findErrorOption(exit)))}`)
    return exit.value
  }
  const errorOf = async (effect: Effect.Effect<unknown, RmcError, UseCasePorts>) => {
    const exit = await run(effect)
    return Exit.isFailure(exit) ? Option.getOrUndefined(Exit.findErrorOption(exit)) : undefined
  }
  return { run, ok, errorOf }
}
