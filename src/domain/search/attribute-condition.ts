import * as z from "zod"
import { AttributeKey, AttributeValue } from "../attribute/attribute-definition"

const bound = z.union([z.number(), z.string().max(10)])

/**
 * A criterion of a conversation search on a custom attribute, of the conversation or of its
 * contact (a key names one attribute of the tenant, whatever its target):
 *
 * - `equals`: the attribute has this value (normalised as a set value is: an e-mail in any case,
 *   a phone number in any form, an enum option in any case);
 * - `in`: the attribute has one of these values;
 * - `range`: a `number` or `date` attribute between `min` and `max`, both inclusive, either left
 *   out for no bound;
 * - `exists`: the attribute has a value (`exists: true`) or has none (`exists: false`).
 *
 * A key the tenant does not define, or a value that its type could not hold, fails with
 * `attribute_invalid`.
 *
 * @example
 * ```ts
 * import { AttributeCondition } from "rmc-details"
 * AttributeCondition.parse({ key: "seats", op: "range", min: 10 })
 * ```
 */
export const AttributeCondition = z
  .discriminatedUnion("op", [
    z.strictObject({ key: AttributeKey, op: z.literal("equals"), value: AttributeValue }),
    z.strictObject({ key: AttributeKey, op: z.literal("in"), values: z.array(AttributeValue).min(1).max(50) }),
    z.strictObject({ key: AttributeKey, op: z.literal("range"), min: bound.optional(), max: bound.optional() }),
    z.strictObject({ key: AttributeKey, op: z.literal("exists"), exists: z.boolean() }),
  ])
  .meta({ id: "AttributeCondition" })
/** @see {@link AttributeCondition} */
export type AttributeCondition = z.infer<typeof AttributeCondition>
