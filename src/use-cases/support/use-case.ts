import { Effect } from "effect"
import type * as z from "zod"
import { ForbiddenError, type RmcError } from "../../domain/shared/errors"
import { hasRole, Principal } from "../../domain/shared/principal"
import { operations, type OperationInput, type OperationName, type OperationOutput } from "../catalog"
import { validate } from "./validate"

/**
 * An operation of the Effect API: validates the principal and the input, checks the principal's
 * role against the catalog, then runs. `R` is the set of ports it needs.
 *
 * @example
 * ```ts
 * import type { UseCase } from "rmc-details"
 * type AddNote = UseCase<"addNote">
 * ```
 */
export type UseCase<K extends OperationName, R = unknown> = (
  principal: Principal,
  input: OperationInput<K>,
) => Effect.Effect<OperationOutput<K>, RmcError, R>

/**
 * Wraps the body of operation `name` with what every operation does first: validate the principal,
 * check its role, validate the input; and with a tracing span named after the operation.
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
  <K extends OperationName, R>(
    name: K,
    body: (
      principal: Principal,
      input: z.output<(typeof operations)[K]["input"]>,
    ) => Effect.Effect<OperationOutput<K>, RmcError, R>,
  ): UseCase<K, R> =>
  (principal, input) =>
    Effect.gen(function* () {
      const who = yield* validate(Principal, principal)
      const minRole = operations[name].minRole
      if (!hasRole(who, minRole)) {
        return yield* new ForbiddenError({
          message: `${name} needs the role ${minRole} or higher`,
          operation: name,
        })
      }
      const parsed = yield* validate(operations[name].input, input)
      return yield* body(who, parsed as z.output<(typeof operations)[K]["input"]>)
    }).pipe(Effect.withSpan(`rmc.${name}`))
