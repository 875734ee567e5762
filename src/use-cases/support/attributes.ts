import { Effect } from "effect"
import type { AttributeDefinition, AttributeValue } from "../../domain/attribute/attribute-definition"
import { attributeText, normalizeAttributeValue } from "../../domain/attribute/normalize-attribute-value"
import type { AttributeCondition } from "../../domain/search/attribute-condition"
import { AttributeInvalidError, type StorageError, ValidationError } from "../../domain/shared/errors"
import type { StorageRepositories, StoreAttributeCondition } from "../../ports/storage"

/**
 * The error for a value or a key that does not fit the tenant's attributes.
 *
 * @internal
 */
export const attributeInvalid = (key: string, reason: AttributeInvalidError["reason"], problem: string) =>
  new AttributeInvalidError({ message: `${key}: ${problem}`, key, reason })

/**
 * A value checked against its definition and normalised, or an `attribute_invalid` error
 * (`wrong_type`) saying what was expected.
 *
 * @internal
 */
export const checkedValue = (definition: AttributeDefinition, raw: AttributeValue, region: string): Effect.Effect<AttributeValue, AttributeInvalidError> => {
  const check = normalizeAttributeValue(definition, raw, region)
  return check.ok ? Effect.succeed(check.value) : Effect.fail(attributeInvalid(definition.key, "wrong_type", check.problem))
}

/**
 * The options of an enum as given, refused with a {@link ValidationError} at `path` when two are the
 * same ignoring case (a value is matched to its option ignoring case).
 *
 * @internal
 */
export const distinctOptions = (options: ReadonlyArray<string>, path: ReadonlyArray<string>): Effect.Effect<ReadonlyArray<string>, ValidationError> => {
  const seen = new Set<string>()
  for (const [i, option] of options.entries()) {
    const folded = option.trim().toLowerCase()
    if (seen.has(folded)) {
      return Effect.fail(
        new ValidationError({
          message: `Invalid ${path.join(".")}: "${option}" is given twice`,
          issues: [{ path: [...path, i], message: "option given twice (ignoring case)" }],
        }),
      )
    }
    seen.add(folded)
  }
  return Effect.succeed(options.map((o) => o.trim()))
}

/**
 * The store's form of a search's attribute criteria: each key resolved to its definition (the
 * target tells whether the conversation or its contact holds the value), each value normalised
 * as a set value is. An unknown key, a value its type could not hold, or a range on a type that
 * is neither a number nor a date fails with `attribute_invalid`.
 *
 * @internal
 */
export const storeConditions = (
  r: StorageRepositories,
  tenantId: string,
  conditions: ReadonlyArray<AttributeCondition> | undefined,
  region: string,
): Effect.Effect<ReadonlyArray<StoreAttributeCondition> | undefined, AttributeInvalidError | StorageError> =>
  Effect.gen(function* () {
    if (conditions === undefined) return undefined
    const definitions = new Map(
      (yield* r.attributes.findByKeys(
        tenantId,
        conditions.map((c) => c.key),
      )).map((d) => [d.key, d]),
    )
    return yield* Effect.forEach(conditions, (condition) =>
      Effect.gen(function* () {
        const definition = definitions.get(condition.key)
        if (definition === undefined) return yield* attributeInvalid(condition.key, "unknown_key", "the tenant defines no attribute with this key")
        const base = { key: definition.key, target: definition.target }
        const text = (value: AttributeValue) => Effect.map(checkedValue(definition, value, region), attributeText)
        if (condition.equals !== undefined) return { ...base, match: { kind: "in", texts: [yield* text(condition.equals)] } } satisfies StoreAttributeCondition
        if (condition.in !== undefined)
          return { ...base, match: { kind: "in", texts: yield* Effect.forEach(condition.in, text) } } satisfies StoreAttributeCondition
        if (condition.exists !== undefined) return { ...base, match: { kind: "exists", exists: condition.exists } } satisfies StoreAttributeCondition
        // Otherwise the criterion is a range (the schema allows nothing else).
        if (definition.type === "number") {
          const bound = (value: number | string | undefined) =>
            value === undefined ? Effect.succeed(undefined) : Effect.map(checkedValue(definition, value, region), Number)
          return {
            ...base,
            match: { kind: "range", on: "number", min: yield* bound(condition.min), max: yield* bound(condition.max) },
          } satisfies StoreAttributeCondition
        }
        if (definition.type === "date") {
          const bound = (value: number | string | undefined) => (value === undefined ? Effect.succeed(undefined) : text(value))
          return {
            ...base,
            match: { kind: "range", on: "text", min: yield* bound(condition.min), max: yield* bound(condition.max) },
          } satisfies StoreAttributeCondition
        }
        return yield* attributeInvalid(condition.key, "wrong_type", `a range needs a number or date attribute, not ${definition.type}`)
      }),
    )
  })
