import type { Transition } from "../shared/transition"
import { changedTo, unchanged } from "../shared/transition"
import type { AttributeDefinition } from "./attribute-definition"

/**
 * What archiving an attribute definition at `at` does: a live one is archived and takes the next
 * version; an archived one stays as it is.
 *
 * @example
 * ```ts
 * import { attributeArchiveTransition, type AttributeDefinition } from "rmc-details"
 * declare const definition: AttributeDefinition
 * const t = attributeArchiveTransition(definition, "2026-01-01T00:00:00.000Z")
 * ```
 */
export const attributeArchiveTransition = (definition: AttributeDefinition, at: string): Transition<AttributeDefinition> =>
  definition.archivedAt !== null
    ? unchanged
    : changedTo(
        { ...definition, archivedAt: at, version: definition.version + 1 },
        {
          type: "attribute.archived",
          subjectId: definition.id,
          conversationId: null,
          contactId: null,
          before: { archivedAt: null },
          after: { archivedAt: at },
        },
      )
