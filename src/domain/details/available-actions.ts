import { callableNumbers } from "../contact/contact"
import { departmentChangeAllowedByPolicy, transferAllowedByPolicy } from "../conversation/transfer-policy"
import { hasRole, type Principal } from "../shared/principal"
import type { TenantSettings } from "../tenant/tenant-settings"
import type { AvailableAction } from "./available-action"
import type { DetailsSnapshot } from "./details-snapshot"

const enabled = (name: AvailableAction["name"], targets: ReadonlyArray<string> = []): AvailableAction => ({
  name,
  enabled: true,
  reason: null,
  targets: [...targets],
})

const disabled = (name: AvailableAction["name"], code: NonNullable<AvailableAction["reason"]>["code"], message: string): AvailableAction => ({
  name,
  enabled: false,
  reason: { code, message },
  targets: [],
})

const supervisorOnly = (principal: Principal, name: AvailableAction["name"], what: string): AvailableAction =>
  hasRole(principal, "supervisor") ? enabled(name) : disabled(name, "forbidden", `Only a supervisor or an admin can manage ${what}`)

/**
 * The actions of the Details panel for this principal, each with whether it can be done now and,
 * when it cannot, why: no telephony system configured, no phone number to call, no allowed transformation from the contact's type,
 * the tenant's note-before-transfer and note-before-department-change policies, or a role too low to manage the catalogs. The panel
 * shows them greyed out with the reason rather than hiding them, so an agent knows what to fix.
 * `targets` are the agents the conversation may be transferred to when the tenant checks them
 * against its directory, and the departments it may be moved to when its department restricts them
 * (`null`: any, and the action lists none).
 *
 * @example
 * ```ts
 * import { availableActions, defaultTenantSettings } from "rmc-details"
 * declare const snapshot: import("rmc-details").DetailsSnapshot
 * const actions = availableActions({ tenantId: "acme", agentId: "alice", role: "agent" }, defaultTenantSettings("acme"), snapshot)
 * actions.find((a) => a.name === "call")?.enabled
 * ```
 */
export const availableActions = (
  principal: Principal,
  settings: TenantSettings,
  snapshot: Pick<DetailsSnapshot, "contact" | "conversation" | "notes"> & { readonly viewerNote?: DetailsSnapshot["viewerNote"] },
  telephony: { readonly enabled: boolean } = { enabled: true },
  targets: { readonly agents: ReadonlyArray<string> | null; readonly departments: ReadonlyArray<string> | null } = { agents: null, departments: null },
): ReadonlyArray<AvailableAction> => {
  const numbers = callableNumbers(snapshot.contact)
  // The first page of notes may not reach back to the agent's own note: the snapshot carries it apart.
  const handover = [...snapshot.notes.conversation, ...(snapshot.viewerNote ? [snapshot.viewerNote] : [])]
  const transforms = settings.transitions.filter((t) => t.from === snapshot.contact.type).map((t) => t.to)
  return [
    enabled("information"),
    !telephony.enabled
      ? disabled("call", "no_telephony", "No telephony system is configured")
      : numbers.length > 0
        ? enabled("call", numbers)
        : disabled("call", "no_phone_number", "The contact has no phone number to call"),
    transforms.length > 0
      ? enabled("transform", transforms)
      : disabled("transform", "no_transition", `The tenant allows no transformation of a ${snapshot.contact.type}`),
    transferAllowedByPolicy(settings, snapshot.conversation, handover, principal.agentId)
      ? enabled("transfer", targets.agents ?? [])
      : disabled("transfer", "policy", "Add a note to the conversation before transferring it: the tenant requires it"),
    departmentChangeAllowedByPolicy(settings, snapshot.conversation, handover, principal.agentId)
      ? enabled("assign_department", targets.departments ?? [])
      : disabled("assign_department", "policy", "Add a note to the conversation before changing its department: the tenant requires it"),
    enabled("add_note"),
    enabled("attach_keyword"),
    enabled("apply_label"),
    enabled("create_label"),
    supervisorOnly(principal, "manage_keywords", "keywords"),
    supervisorOnly(principal, "manage_departments", "departments"),
  ]
}
