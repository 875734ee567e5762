import * as z from "zod"
import { Agent } from "../agent/agent"
import { DepartmentOpening } from "../department/department-rules"

/**
 * Where the Details panel may send the conversation, and whether its department is open:
 * - `department`: the conversation's department now (open or closed, next opening, fallback), or
 *   `null` without a department;
 * - `departments`: the departments the conversation's department allows it to be moved to, each
 *   with its opening state, or `null` when its rules allow any live department;
 * - `agents`: active agents of the directory it may be transferred to (the first 50 by id;
 *   `listAgents` reads the whole directory), or `null` when the tenant transfers to any agent id
 *   (routing without `knownAgentsOnly`).
 *
 * @example
 * ```ts
 * import type { DetailsRouting } from "rmc-details"
 * const closedNow = (r: DetailsRouting) => r.department !== null && !r.department.open
 * ```
 */
export const DetailsRouting = z
  .object({
    department: DepartmentOpening.nullable(),
    departments: z.array(DepartmentOpening).nullable(),
    agents: z.array(Agent.pick({ id: true, displayName: true, departmentIds: true })).nullable(),
  })
  .meta({ id: "DetailsRouting" })
/** @see {@link DetailsRouting} */
export type DetailsRouting = z.infer<typeof DetailsRouting>

/**
 * How many agents the Details panel offers as transfer targets at most.
 *
 * @example
 * ```ts
 * import { detailsAgentChoices } from "rmc-details"
 * detailsAgentChoices // 50
 * ```
 */
export const detailsAgentChoices = 50
