import { Effect } from "effect"
import type * as z from "zod"
import { ForbiddenError, type RmcError, type ValidationError } from "../../domain/shared/errors"
import { hasRole, Principal } from "../../domain/shared/principal"
import { operations, type OperationInput, type OperationName, type OperationOutput } from "../catalog"
import { rerunOnRace } from "./rerun-on-race"
import { parseOrInvalid } from "./validate"

// The span's call site would always be this wrapper: capturing it would cost a stack trace per call and tell nothing.
const traceOptions = { captureStackTrace: false } as const

const sentVersion = (input: unknown): boolean =>
  typeof input === "object" &&
  input !== null &&
  Object.hasOwn(input, "expectedVersion") &&
  (input as { expectedVersion?: unknown }).expectedVersion !== undefined

/**
 * An operation of the Effect API: validates the principal and the input, checks the principal's
 * role against the catalog, then runs. `R` is the set of ports it needs, `E` the errors it can fail
 * with (those of an operation made by {@link defineUseCase} are exact).
 *
 * @example
 * ```ts
 * import type { UseCase } from "rmc-details"
 * type AddNote = UseCase<"addNote">
 * ```
 */
export type UseCase<K extends OperationName, R = unknown, E extends RmcError = RmcError> = (
  principal: Principal,
  input: OperationInput<K>,
) => Effect.Effect<OperationOutput<K>, E, R>

/**
 * Wraps the body of operation `name` with what every operation does first: validate the principal,
 * check its role, validate the input; and with a tracing span named after the operation.
 *
 * A command whose caller sent no `expectedVersion` never fails because another agent wrote the
 * same record at the same time: on a version conflict its body runs again, reading the record
 * afresh. A command given an `expectedVersion` still fails with `version_conflict` when the record
 * moved on: that is what the caller asked for.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { defineUseCase } from "rmc-details"
 * const getSettingsLike = defineUseCase("getSettings", (principal) =>
 *   Effect.die(`not implemented for ${principal.tenantId}`))
 * ```
 */
export const defineUseCase =
  <K extends OperationName, R, E extends RmcError>(
    name: K,
    body: (principal: Principal, input: z.output<(typeof operations)[K]["input"]>) => Effect.Effect<OperationOutput<K>, E, R>,
  ): UseCase<K, R, E | ValidationError | ForbiddenError> =>
  (principal, input) =>
    // One synchronous step checks the principal, its role and the input, in that order.
    Effect.suspend((): Effect.Effect<OperationOutput<K>, E | ValidationError | ForbiddenError, R> => {
      const who = parseOrInvalid(Principal, principal)
      if (!who.ok) return Effect.fail(who.error)
      const minRole = operations[name].minRole
      if (!hasRole(who.value, minRole)) {
        return Effect.fail(new ForbiddenError({ message: `${name} needs the role ${minRole} or higher`, operation: name }))
      }
      const parsed = parseOrInvalid(operations[name].input, input)
      if (!parsed.ok) return Effect.fail(parsed.error)
      const run = body(who.value, parsed.value as z.output<(typeof operations)[K]["input"]>)
      return operations[name].readOnly || sentVersion(parsed.value) ? run : rerunOnRace(run)
    }).pipe(Effect.withSpan(`rmc.${name}`, undefined, traceOptions))
