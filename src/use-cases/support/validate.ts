import { Effect } from "effect"
import type * as z from "zod"
import { ValidationError } from "../../domain/shared/errors"

/**
 * `input` parsed with `schema`, or a {@link ValidationError} that lists every issue (a field the
 * schema does not know is one issue at that field's path). Synchronous, for an operation to check
 * its principal and its input in one step.
 *
 * @internal
 */
export const parseOrInvalid = <S extends z.ZodType>(
  schema: S,
  input: unknown,
): { readonly ok: true; readonly value: z.output<S> } | { readonly ok: false; readonly error: ValidationError } => {
  const parsed = schema.safeParse(input)
  if (parsed.success) return { ok: true, value: parsed.data }
  const issues = parsed.error.issues.flatMap((issue) => {
    const path = issue.path.filter((p): p is string | number => typeof p !== "symbol")
    // One issue per unknown field, at the field's own path, so that a caller sees which one.
    return issue.code === "unrecognized_keys"
      ? issue.keys.map((key) => ({ path: [...path, key], message: "unknown field" }))
      : [{ path, message: issue.message }]
  })
  const first = issues[0]
  const where = first === undefined || first.path.length === 0 ? "input" : first.path.join(".")
  return {
    ok: false,
    error: new ValidationError({
      message: `Invalid ${where}: ${first?.message ?? "invalid input"}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ""}`,
      issues,
    }),
  }
}

/**
 * Parses `input` with `schema`, failing with a {@link ValidationError} that lists every issue
 * (see {@link parseOrInvalid}).
 *
 * @internal
 */
export const validate = <S extends z.ZodType>(schema: S, input: unknown): Effect.Effect<z.output<S>, ValidationError> =>
  Effect.suspend(() => {
    const parsed = parseOrInvalid(schema, input)
    return parsed.ok ? Effect.succeed(parsed.value) : Effect.fail(parsed.error)
  })
