import fc from "fast-check"
import { type OperationInput, type OperationName, operations } from "../../use-cases/catalog"
import { validInput } from "./valid-input"

const wrongValue = fc.oneof(
  fc.constant(null),
  fc.integer(),
  fc.boolean(),
  fc.string({ maxLength: 5 }),
  fc.constant("x".repeat(6000)),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.constant({ nested: true }),
)

/**
 * Inputs of operation `name` that its schema refuses: not an object at all, a required field
 * missing, or a field of the wrong type or size. The operation must fail with a `ValidationError`
 * and change nothing.
 *
 * @example
 * ```ts
 * import fc from "fast-check"
 * import { invalidInput } from "rmc-details/testing"
 * fc.sample(invalidInput("createLabel"), 2)
 * ```
 */
export const invalidInput = (name: OperationName): fc.Arbitrary<unknown> => {
  const schema = operations[name].input
  const broken = fc.oneof(
    wrongValue,
    fc.tuple(validInput(name), fc.nat(), wrongValue).map(([input, index, value]) => {
      const record = { ...(input as Record<string, unknown>) }
      const keys = Object.keys(record)
      if (keys.length === 0) return value
      record[keys[index % keys.length]!] = value
      return record
    }),
    fc.tuple(validInput(name), fc.nat()).map(([input, index]) => {
      const record = { ...(input as Record<string, unknown>) }
      const keys = Object.keys(record)
      if (keys.length > 0) delete record[keys[index % keys.length]!]
      return record
    }),
  )
  return broken.filter((value) => !schema.safeParse(value).success)
}

/**
 * Any operation with a valid input, as `{ name, input }`: for property tests that drive an
 * integration with random commands.
 *
 * @example
 * ```ts
 * import fc from "fast-check"
 * import { anyCommand } from "rmc-details/testing"
 * fc.sample(anyCommand(), 3)
 * ```
 */
export const anyCommand = (): fc.Arbitrary<{ readonly [K in OperationName]: { readonly name: K; readonly input: OperationInput<K> } }[OperationName]> =>
  fc.oneof(...(Object.keys(operations) as Array<OperationName>).map((name) => validInput(name).map((input) => ({ name, input }) as never)))
