import { Context, Effect, Layer } from "effect"
import { uuidv7 } from "uuidv7"

/**
 * The id generation port. The default layer makes UUIDv7 ids: time-ordered, so that primary-key
 * indexes stay compact.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { IdGenerator } from "rmc-details"
 * const program = Effect.gen(function* () {
 *   const ids = yield* IdGenerator
 *   return yield* ids.next
 * })
 * Effect.runSync(Effect.provide(program, IdGenerator.layer))
 * ```
 */
export class IdGenerator extends Context.Service<IdGenerator, { readonly next: Effect.Effect<string> }>()("rmc-details/IdGenerator") {
  /** UUIDv7 ids. */
  static readonly layer: Layer.Layer<IdGenerator> = Layer.succeed(IdGenerator, IdGenerator.of({ next: Effect.sync(uuidv7) }))
}
