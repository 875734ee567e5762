import * as z from "zod"

/**
 * The actions of the Details panel's menu.
 *
 * @example
 * ```ts
 * import { ActionName } from "rmc-details"
 * ActionName.parse("call")
 * ```
 */
export const ActionName = z.enum([
  "information",
  "call",
  "transform",
  "transfer",
  "assign_department",
  "add_note",
  "attach_keyword",
  "apply_label",
  "create_label",
  "manage_keywords",
  "manage_departments",
])
/** @see {@link ActionName} */
export type ActionName = z.infer<typeof ActionName>

/**
 * An action of the menu, whether this principal can do it now, and why not when it cannot
 * (a stable reason code and a sentence). `targets` lists the choices where there are some: the
 * numbers to call, the contact types to transform into, the agents to transfer to and the
 * departments to move to when the tenant's routing restricts them (see `DetailsRouting`).
 *
 * @example
 * ```ts
 * import type { AvailableAction } from "rmc-details"
 * const greyed = (a: AvailableAction) => !a.enabled
 * ```
 */
export const AvailableAction = z
  .object({
    name: ActionName,
    enabled: z.boolean(),
    reason: z
      .object({
        code: z.enum(["no_phone_number", "no_telephony", "forbidden", "no_transition", "policy"]),
        message: z.string(),
      })
      .nullable(),
    targets: z.array(z.string()),
  })
  .meta({ id: "AvailableAction" })
/** @see {@link AvailableAction} */
export type AvailableAction = z.infer<typeof AvailableAction>
