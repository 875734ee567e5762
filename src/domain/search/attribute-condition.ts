import * as z from "zod"
import { AttributeKey, AttributeValue } from "../attribute/attribute-definition"
import { text } from "../shared/text"

const bound = z.union([z.number(), text({ min: 1, max: 10 })])

/**
 * A criterion of a conversation search on a custom attribute, of the conversation or of its
 * contact (a key names one attribute of the tenant, whatever its target). Give exactly one of:
 *
 * - `equals`: the attribute has this value (normalised as a set value is: an e-mail in any case,
 *   a phone number in any form, an enum option in any case);
 * - `in`: the attribute has one of these values;
 * - `min` and/or `max`: a `number` or `date` attribute between them, both inclusive;
 * - `exists`: the attribute has a value (`true`) or has none (`false`).
 *
 * A key the tenant does not define, a value its type could not hold, or a range on another type
 * fails with `attribute_invalid`.
 *
 * @example
 * ```ts
 * import { AttributeCondition } from "rmc-details"
 * AttributeCondition.parse({ key: "seats", min: 10 })
 * ```
 */
export const AttributeCondition = z
  .strictObject({
    key: AttributeKey,
    equals: AttributeValue.optional(),
    in: z.array(AttributeValue).min(1).max(50).optional(),
    min: bound.optional(),
    max: bound.optional(),
    exists: z.boolean().optional(),
  })
  .refine(
    (c) => [c.equals !== undefined, c.in !== undefined, c.min !== undefined || c.max !== undefined, c.exists !== undefined].filter(Boolean).length === 1,
    { message: "give exactly one of equals, in, min/max or exists" },
  )
  .meta({ id: "AttributeCondition" })
/** @see {@link AttributeCondition} */
export type AttributeCondition = z.infer<typeof AttributeCondition>
