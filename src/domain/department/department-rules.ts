import * as z from "zod"
import { EntityId } from "../shared/ids"
import { BusinessHours, openingStatus } from "./business-hours"

/**
 * A tenant's rules for one department:
 * - `transferTargets`: the departments a conversation of this department may be moved to (by a
 *   transfer or a department change); `null` for any;
 * - `businessHours`: when it is open; `null` for always;
 * - `fallbackDepartmentId`: where a conversation sent to it while it is closed goes instead (the
 *   fallback's own hours and fallback apply in turn); `null` to refuse such a move.
 *
 * @example
 * ```ts
 * import { DepartmentRules } from "rmc-details"
 * DepartmentRules.parse({ transferTargets: ["0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11"] })
 * ```
 */
export const DepartmentRules = z
  .object({
    transferTargets: z.array(EntityId).max(500).nullable().default(null),
    businessHours: BusinessHours.nullable().default(null),
    fallbackDepartmentId: EntityId.nullable().default(null),
  })
  .meta({ id: "DepartmentRules" })
/** @see {@link DepartmentRules} */
export type DepartmentRules = z.infer<typeof DepartmentRules>

/**
 * How a tenant routes conversations: `knownAgentsOnly` makes transfers name active agents of the
 * agent directory (members of the target department when there is one); `departments` holds the
 * rules of each department, by id (a department without rules is always open and may send its
 * conversations anywhere).
 *
 * @example
 * ```ts
 * import { TenantRouting } from "rmc-details"
 * TenantRouting.parse({ knownAgentsOnly: true })
 * ```
 */
export const TenantRouting = z
  .object({
    knownAgentsOnly: z.boolean().default(false),
    departments: z.record(EntityId, DepartmentRules).default({}),
  })
  .meta({ id: "TenantRouting" })
/** @see {@link TenantRouting} */
export type TenantRouting = z.infer<typeof TenantRouting>

/**
 * Where a move of a conversation to a department ends up: the department it goes to (the one asked
 * for, or a fallback when that one is closed), or why it is refused: the conversation's department
 * does not allow that target, or the target is closed with no open fallback.
 *
 * @example
 * ```ts
 * import type { DepartmentRoute } from "rmc-details"
 * const target = (r: DepartmentRoute) => (r.ok ? r.departmentId : null)
 * ```
 */
export type DepartmentRoute =
  | { readonly ok: true; readonly departmentId: string; readonly rerouted: boolean }
  | { readonly ok: false; readonly reason: "department_not_allowed" | "department_closed" }

/**
 * Decides where a conversation of department `from` (`null`: none) that is moved to department
 * `to` at instant `at` goes, under the tenant's `routing` (none: it goes to `to`). A move within
 * the same department is not a move and is always allowed. The target's fallback, when the target
 * is closed, is followed while it is closed too (each department once).
 *
 * @example
 * ```ts
 * import { routeToDepartment } from "rmc-details"
 * routeToDepartment(undefined, null, "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11", new Date()) // { ok: true, ... rerouted: false }
 * ```
 */
export const routeToDepartment = (routing: TenantRouting | undefined, from: string | null, to: string, at: string | Date): DepartmentRoute => {
  if (from === to) return { ok: true, departmentId: to, rerouted: false }
  const rules = routing?.departments ?? {}
  const allowed = from === null ? null : (rules[from]?.transferTargets ?? null)
  if (allowed !== null && !allowed.includes(to)) return { ok: false, reason: "department_not_allowed" }
  const seen = new Set<string>()
  let target = to
  for (;;) {
    const hours = rules[target]?.businessHours ?? null
    if (hours === null || openingStatus(hours, at).open) return { ok: true, departmentId: target, rerouted: target !== to }
    seen.add(target)
    const fallback = rules[target]?.fallbackDepartmentId ?? null
    if (fallback === null || seen.has(fallback)) return { ok: false, reason: "department_closed" }
    target = fallback
  }
}

/**
 * A department as the Details panel shows it among the routing choices: open or closed now, when
 * it opens next, and where conversations sent to it while closed go.
 *
 * @example
 * ```ts
 * import type { DepartmentOpening } from "rmc-details"
 * const badge = (d: DepartmentOpening) => (d.open ? "open" : "closed")
 * ```
 */
export const DepartmentOpening = z
  .object({
    departmentId: EntityId,
    open: z.boolean(),
    nextOpeningAt: z.iso.datetime({ precision: 3 }).nullable(),
    fallbackDepartmentId: EntityId.nullable(),
  })
  .meta({ id: "DepartmentOpening" })
/** @see {@link DepartmentOpening} */
export type DepartmentOpening = z.infer<typeof DepartmentOpening>

/**
 * Department `departmentId` under the tenant's `routing` at instant `at`: open (always, without
 * business hours) or closed, and when it opens next.
 *
 * @example
 * ```ts
 * import { departmentOpening } from "rmc-details"
 * departmentOpening(undefined, "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11", new Date()).open // true
 * ```
 */
export const departmentOpening = (routing: TenantRouting | undefined, departmentId: string, at: string | Date): DepartmentOpening => {
  const rules = routing?.departments[departmentId]
  const status = rules?.businessHours ? openingStatus(rules.businessHours, at) : { open: true, nextOpeningAt: null }
  return { departmentId, ...status, fallbackDepartmentId: rules?.fallbackDepartmentId ?? null }
}
