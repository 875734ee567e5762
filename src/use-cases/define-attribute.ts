import { Effect } from "effect"
import type { AttributeDefinition } from "../domain/attribute/attribute-definition"
import { ValidationError } from "../domain/shared/errors"
import { activityEvent } from "./support/activity"
import { distinctOptions } from "./support/attributes"
import { idempotentCreation } from "./support/idempotent"
import { currentTime, nextId } from "./support/now"
import { defineUseCase } from "./support/use-case"

/**
 * Defines a custom attribute of the tenant's contacts or conversations (admin). The key is unique
 * per tenant whatever the target (`name_taken` otherwise) and, like the type and the target, never
 * changes. An `enum` needs its `options`; the other types take none.
 *
 * @example
 * ```ts
 * import { defineAttribute } from "rmc-details"
 * const program = defineAttribute({ tenantId: "acme", agentId: "ada", role: "admin" },
 *   { key: "customer_tier", label: "Customer tier", type: "enum", target: "contact", options: ["Gold", "Silver"] })
 * ```
 */
export const defineAttribute = defineUseCase("defineAttribute", (principal, input) =>
  Effect.gen(function* () {
    const now = yield* currentTime
    const id = yield* nextId
    const { idempotencyKey, ...request } = input
    if ((input.type === "enum") !== (input.options !== undefined)) {
      const message = input.type === "enum" ? "an enum attribute needs its options" : `a ${input.type} attribute takes no options`
      return yield* new ValidationError({ message: `Invalid options: ${message}`, issues: [{ path: ["options"], message }] })
    }
    const options = yield* distinctOptions(input.options ?? [], ["options"])
    return yield* idempotentCreation(
      {
        tenantId: principal.tenantId,
        operation: "defineAttribute",
        key: idempotencyKey,
        request,
        now,
        entity: "attribute",
        reread: (r, id) => r.attributes.get(principal.tenantId, id),
      },
      (r) =>
        Effect.gen(function* () {
          const definition: AttributeDefinition = {
            id,
            tenantId: principal.tenantId,
            key: input.key,
            label: input.label,
            type: input.type,
            target: input.target,
            options: [...options],
            required: input.required,
            createdAt: now,
            archivedAt: null,
            version: 1,
          }
          yield* r.attributes.insert(definition)
          const { key, label, type, target, required } = definition
          yield* r.activity.append([
            yield* activityEvent(principal, now, "attribute.defined", {
              subjectId: id,
              conversationId: null,
              contactId: null,
              after: { key, label, type, target, options: definition.options, required },
            }),
          ])
          return definition
        }),
    )
  }),
)
