import { attributeArchiveTransition } from "../domain/attribute/attribute-archive-transition"
import { runCommand } from "./support/command"
import { orNotFound } from "./support/find"
import { defineUseCase } from "./support/use-case"

/**
 * Archives a custom attribute (admin). Its values stay where they are, read and searched as
 * before, but none can be set or cleared any more (`archived`), and its `required` flag is no
 * longer enforced. Its key stays taken. Archiving twice changes nothing.
 *
 * @example
 * ```ts
 * import { archiveAttribute } from "rmc-details"
 * const program = archiveAttribute({ tenantId: "acme", agentId: "ada", role: "admin" },
 *   { attributeId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11" })
 * ```
 */
export const archiveAttribute = defineUseCase("archiveAttribute", (principal, input) =>
  runCommand(principal, (r) => orNotFound("attribute", input.attributeId)(r.attributes.get(principal.tenantId, input.attributeId)))({
    transition: (definition, { now }) => attributeArchiveTransition(definition, now),
    save: (r, next) => r.attributes.update(next),
  }),
)
