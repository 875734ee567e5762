import { Context, Effect, Layer } from "effect"
import { V7Generator } from "uuidv7"

/**
 * Random words for the UUIDv7 generator, drawn from the system's secure source a kilobyte at a
 * time: a write takes a few ids, and asking the system for each few bytes cost more than the rest
 * of making the id.
 */
class BufferedRandom {
  readonly #words = new Uint32Array(256)
  #next = this.#words.length
  nextUint32(): number {
    if (this.#next === this.#words.length) {
      crypto.getRandomValues(this.#words)
      this.#next = 0
    }
    return this.#words[this.#next++]!
  }
}

const generator = new V7Generator(new BufferedRandom())
const uuidv7 = () => generator.generate().toString()

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
