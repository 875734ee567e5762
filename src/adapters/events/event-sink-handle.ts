import { Cause, Effect, Exit, Scope } from "effect"
import type { EventEnvelope } from "../../domain/events/event-envelope"
import type { EventSink } from "../../ports/event-sink"

/**
 * An {@link EventSink} for the Promise API: `publish` resolves once the broker has durably
 * accepted the batch and rejects with `EventSinkUnavailableError` or `EventSinkRejectedError`;
 * `close` releases what the sink opened (its connection).
 *
 * @example
 * ```ts
 * import type { EventSinkHandle } from "rmc-details/events"
 * declare const sink: EventSinkHandle
 * await sink.publish([])
 * await sink.close()
 * ```
 */
export interface EventSinkHandle {
  readonly name: string
  /** Resolves once the broker has durably accepted every envelope, in order. */
  publish(envelopes: ReadonlyArray<EventEnvelope>): Promise<void>
  /** Releases what the sink opened; the sink is not used afterwards. */
  close(): Promise<void>
}

const run = async <A, E>(effect: Effect.Effect<A, E>): Promise<A> => {
  const exit = await Effect.runPromiseExit(effect)
  if (Exit.isSuccess(exit)) return exit.value
  throw Cause.squash(exit.cause)
}

/**
 * Opens a scoped {@link EventSink} constructor (`makeNatsEventSink`, `makeRabbitMqEventSink` or
 * one's own) as an {@link EventSinkHandle}.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { EventSink, openEventSink } from "rmc-details/events"
 * const sink = await openEventSink(Effect.succeed(EventSink.of({ name: "discard", publish: () => Effect.void })))
 * await sink.close()
 * ```
 */
export const openEventSink = async <E>(make: Effect.Effect<EventSink["Service"], E, Scope.Scope>): Promise<EventSinkHandle> => {
  const scope = await Effect.runPromise(Scope.make())
  const opened = await Effect.runPromiseExit(Scope.provide(make, scope))
  if (Exit.isFailure(opened)) {
    await Effect.runPromise(Scope.close(scope, opened))
    throw Cause.squash(opened.cause)
  }
  const sink = opened.value
  return {
    name: sink.name,
    publish: (envelopes) => run(sink.publish(envelopes)),
    close: () => Effect.runPromise(Scope.close(scope, Exit.void)),
  }
}
