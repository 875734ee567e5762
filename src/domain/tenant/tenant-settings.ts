import * as z from "zod"
import { Region } from "../contact/phone"
import { TenantRouting } from "../department/department-rules"
import { ExternalId } from "../shared/ids"
import { Role } from "../shared/principal"
import { text } from "../shared/text"

/**
 * Name of a contact type in a tenant's catalog (`"Lead"`, `"Client"`...).
 *
 * @example
 * ```ts
 * import { ContactTypeName } from "rmc-details"
 * ContactTypeName.parse("Lead")
 * ```
 */
export const ContactTypeName = text({ min: 1, max: 50 })

/**
 * An allowed contact type transformation, e.g. `{ from: "Lead", to: "Client" }`.
 *
 * @example
 * ```ts
 * import { ContactTypeTransition } from "rmc-details"
 * ContactTypeTransition.parse({ from: "Lead", to: "Client" })
 * ```
 */
export const ContactTypeTransition = z.object({ from: ContactTypeName, to: ContactTypeName }).meta({ id: "ContactTypeTransition" })
/** @see {@link ContactTypeTransition} */
export type ContactTypeTransition = z.infer<typeof ContactTypeTransition>

/**
 * The policies a tenant turns on. `noteBeforeTransfer`: the guide's good practice "add a note
 * before transferring a conversation", enforced: a transfer is refused unless the transferring
 * agent wrote a note on the conversation since it was last assigned. `noteBeforeDepartmentChange`:
 * the same rule for moving a conversation to another department (or out of one) with
 * `assignDepartment`, which the guide's routing by department makes a hand-over too.
 *
 * @example
 * ```ts
 * import { TenantPolicies } from "rmc-details"
 * TenantPolicies.parse({ noteBeforeTransfer: true, noteBeforeDepartmentChange: true })
 * ```
 */
export const TenantPolicies = z
  .object({
    noteBeforeTransfer: z.boolean().default(false),
    noteBeforeDepartmentChange: z.boolean().default(false),
  })
  .meta({ id: "TenantPolicies" })
/** @see {@link TenantPolicies} */
export type TenantPolicies = z.infer<typeof TenantPolicies>

/** Days a kind of record is kept: from 1 day to 100 years; `null` keeps it for ever. */
const retentionDays = z.number().int().min(1).max(36_500).nullable().default(null)

/**
 * How long a tenant keeps notes and activity: `notesDays` (a note's body and earlier bodies, and
 * the values of the events about it, from its creation) and `activityDays` (the `before`/`after` values of an activity event, from its
 * time); `null` keeps them for ever. Past it, `purgeExpired` anonymises them (see
 * `docs/privacy.md`): the records stay, so counts stay right, their text goes.
 *
 * @example
 * ```ts
 * import { TenantRetention } from "rmc-details"
 * TenantRetention.parse({ notesDays: 365 }) // { notesDays: 365, activityDays: null }
 * ```
 */
export const TenantRetention = z
  .object({
    notesDays: retentionDays,
    activityDays: retentionDays,
  })
  .meta({ id: "TenantRetention" })
/** @see {@link TenantRetention} */
export type TenantRetention = z.infer<typeof TenantRetention>

/**
 * How a tenant merges duplicate contacts: `minRole`, the lowest role allowed to merge and unmerge
 * (`supervisor` by default), and `unmergeWindowDays`, how many days after a merge it can still be
 * undone (30 by default; see `unmergeContacts`).
 *
 * @example
 * ```ts
 * import { TenantMergeRules } from "rmc-details"
 * TenantMergeRules.parse({ minRole: "agent" }) // { minRole: "agent", unmergeWindowDays: 30 }
 * ```
 */
export const TenantMergeRules = z
  .object({
    minRole: Role.default("supervisor"),
    unmergeWindowDays: z.number().int().min(1).max(3650).default(30),
  })
  .meta({ id: "TenantMergeRules" })
/** @see {@link TenantMergeRules} */
export type TenantMergeRules = z.infer<typeof TenantMergeRules>

/**
 * Who reads what, per tenant. `notes`: `all_agents` (every agent reads every live note),
 * `department` (an agent reads all the notes of the conversations in their reach: in one of their
 * departments, in none, or assigned to them; elsewhere, and on contacts, only their own notes),
 * `author_and_supervisors` (an agent reads only their own notes). `history`: `all_agents` (every
 * agent reads every conversation), `department` (an agent reads only the conversations in their
 * reach; the others answer `not_found` and are left out of lists, searches and activity).
 * Supervisors and admins read everything; a deleted note reaches them only (see `canReadNote`).
 * An agent's departments are the principal's `departmentIds`.
 *
 * @example
 * ```ts
 * import { TenantVisibility } from "rmc-details"
 * TenantVisibility.parse({ notes: "department" }) // { notes: "department", history: "all_agents" }
 * ```
 */
export const TenantVisibility = z
  .object({
    notes: z.enum(["all_agents", "department", "author_and_supervisors"]).default("all_agents"),
    history: z.enum(["all_agents", "department"]).default("all_agents"),
  })
  .meta({ id: "TenantVisibility" })
/** @see {@link TenantVisibility} */
export type TenantVisibility = z.infer<typeof TenantVisibility>

/**
 * A tenant's configuration: the region used to read national phone numbers, the catalog of
 * contact types, the allowed transformations between them, the policies and, once configured, the
 * routing rules (agent directory checks, department rules; see {@link TenantRouting}).
 *
 * @example
 * ```ts
 * import { defaultTenantSettings } from "rmc-details"
 * const settings = defaultTenantSettings("acme")
 * settings.contactTypes // ["User", "Lead", "Prospect", "Client"]
 * ```
 */
export const TenantSettings = z
  .object({
    tenantId: ExternalId,
    defaultRegion: Region,
    contactTypes: z.array(ContactTypeName).min(1).max(50),
    transitions: z.array(ContactTypeTransition).max(500),
    policies: TenantPolicies,
    visibility: TenantVisibility,
    retention: TenantRetention,
    merge: TenantMergeRules,
    routing: TenantRouting.optional(),
    version: z.number().int().nonnegative(),
  })
  .meta({ id: "TenantSettings" })
/** @see {@link TenantSettings} */
export type TenantSettings = z.infer<typeof TenantSettings>

/**
 * Settings of a tenant that was never configured: region `FR`, contact types User, Lead,
 * Prospect and Client, transformations Lead → Prospect → Client and Lead → Client, no policy.
 *
 * @example
 * ```ts
 * import { defaultTenantSettings } from "rmc-details"
 * defaultTenantSettings("acme").transitions
 * ```
 */
export const defaultTenantSettings = (tenantId: string): TenantSettings => ({
  tenantId,
  defaultRegion: "FR",
  contactTypes: ["User", "Lead", "Prospect", "Client"],
  transitions: [
    { from: "Lead", to: "Prospect" },
    { from: "Prospect", to: "Client" },
    { from: "Lead", to: "Client" },
    { from: "User", to: "Lead" },
  ],
  policies: { noteBeforeTransfer: false, noteBeforeDepartmentChange: false },
  visibility: { notes: "all_agents", history: "all_agents" },
  retention: { notesDays: null, activityDays: null },
  merge: { minRole: "supervisor", unmergeWindowDays: 30 },
  version: 0,
})

/**
 * Whether the tenant allows transforming a contact of type `from` into `to`.
 *
 * @example
 * ```ts
 * import { canTransform, defaultTenantSettings } from "rmc-details"
 * canTransform(defaultTenantSettings("acme"), "Lead", "Client") // true
 * ```
 */
export const canTransform = (settings: TenantSettings, from: string, to: string): boolean =>
  settings.contactTypes.includes(to) && settings.transitions.some((t) => t.from === from && t.to === to)
