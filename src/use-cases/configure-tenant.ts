import { Effect } from "effect"
import { ContactTypeInUseError, ValidationError } from "../domain/shared/errors"
import { TenantRouting } from "../domain/department/department-rules"
import type { TenantSettings } from "../domain/tenant/tenant-settings"
import { Storage } from "../ports/storage"
import { activityEvent } from "./support/activity"
import { expectVersion } from "./support/expect-version"
import { currentTime } from "./support/now"
import { lockedSettingsOf } from "./support/settings"
import { defineUseCase } from "./support/use-case"

/**
 * Changes the tenant's default region, contact types, allowed transformations, policies,
 * visibility rules, retention periods, merge rules or routing rules (admin). Every transition must name contact
 * types of the catalog, and every department the routing rules name must be one of the tenant's.
 *
 * Contact types stay consistent: removing a type that contacts still have fails with
 * `ContactTypeInUseError` (which types, how many contacts each), unless `replaceContactTypes` names
 * the type of the new catalog they move to; they then move in the same transaction (each contact's
 * version moves by 1), and the activity log records how many moved. A replacement for a type that is
 * not removed, or to a type outside the new catalog, is a `ValidationError`. The change waits for
 * writes that give contacts a type (and they for it), so that no contact gets a removed type.
 *
 * @example
 * ```ts
 * import { configureTenant } from "rmc-details"
 * const program = configureTenant({ tenantId: "acme", agentId: "root", role: "admin" },
 *   { policies: { noteBeforeTransfer: true } })
 * ```
 */
export const configureTenant = defineUseCase("configureTenant", (principal, input) =>
  Effect.gen(function* () {
    const storage = yield* Storage
    const now = yield* currentTime
    return yield* storage.transaction((r) =>
      Effect.gen(function* () {
        const current = yield* lockedSettingsOf(r, principal.tenantId, "update")
        yield* expectVersion("tenant", principal.tenantId, input.expectedVersion, current.version)
        const next: TenantSettings = {
          tenantId: principal.tenantId,
          defaultRegion: input.defaultRegion ?? current.defaultRegion,
          contactTypes: input.contactTypes ? [...new Set(input.contactTypes)] : current.contactTypes,
          transitions: input.transitions ?? current.transitions,
          policies: { ...current.policies, ...input.policies },
          visibility: { ...current.visibility, ...input.visibility },
          retention: { ...current.retention, ...input.retention },
          merge: { ...current.merge, ...input.merge },
          ...((input.routing !== undefined || current.routing !== undefined) && {
            routing: {
              ...TenantRouting.parse(current.routing ?? {}),
              ...(input.routing?.knownAgentsOnly !== undefined && { knownAgentsOnly: input.routing.knownAgentsOnly }),
              ...(input.routing?.departments !== undefined && { departments: input.routing.departments }),
            },
          }),
          version: current.version + 1,
        }
        if (input.routing?.departments !== undefined) {
          // Rules may name archived departments (a fallback kept for history), never unknown ones.
          const rules = Object.entries(input.routing.departments)
          const named = [
            ...rules.map(([id]) => ({ id, path: ["routing", "departments", id] })),
            ...rules.flatMap(([id, rule]) =>
              (rule.transferTargets ?? []).map((target, i) => ({ id: target, path: ["routing", "departments", id, "transferTargets", i] })),
            ),
            ...rules.flatMap(([id, rule]) =>
              rule.fallbackDepartmentId === null ? [] : [{ id: rule.fallbackDepartmentId, path: ["routing", "departments", id, "fallbackDepartmentId"] }],
            ),
          ]
          const known = new Map<string, boolean>()
          for (const { id } of named) if (!known.has(id)) known.set(id, (yield* r.departments.get(principal.tenantId, id)) !== null)
          const unknownDepartments = named
            .filter(({ id }) => known.get(id) === false)
            .map(({ id, path }) => ({ path, message: `${id} is not a department of the tenant` }))
          if (unknownDepartments.length > 0) {
            return yield* new ValidationError({ message: `Invalid routing: ${unknownDepartments[0]?.message}`, issues: unknownDepartments })
          }
        }
        const unknown = next.transitions.flatMap((t, i) =>
          [t.from, t.to]
            .filter((type) => !next.contactTypes.includes(type))
            .map((type) => ({ path: ["transitions", i], message: `${type} is not a contact type of the tenant` })),
        )
        if (unknown.length > 0) {
          return yield* new ValidationError({ message: `Invalid transitions: ${unknown[0]?.message}`, issues: unknown })
        }
        const removed = current.contactTypes.filter((type) => !next.contactTypes.includes(type))
        const replacements = Object.entries(input.replaceContactTypes ?? {})
        const badReplacements = replacements.flatMap(([from, to]) =>
          !removed.includes(from)
            ? [{ path: ["replaceContactTypes", from], message: `${from} is not a contact type that this change removes` }]
            : !next.contactTypes.includes(to)
              ? [{ path: ["replaceContactTypes", from], message: `${to} is not a contact type of the new catalog` }]
              : [],
        )
        if (badReplacements.length > 0) {
          return yield* new ValidationError({ message: `Invalid replaceContactTypes: ${badReplacements[0]?.message}`, issues: badReplacements })
        }
        const inUse = yield* r.contacts.countByType(principal.tenantId, removed)
        const unreplaced = inUse.filter((row) => !Object.hasOwn(input.replaceContactTypes ?? {}, row.type))
        if (unreplaced.length > 0) {
          const count = unreplaced.reduce((sum, row) => sum + row.contacts, 0)
          return yield* new ContactTypeInUseError({
            message: `${count} contact${count === 1 ? " has" : "s have"} a type that this change removes (${unreplaced.map((row) => `${row.type}: ${row.contacts}`).join(", ")}); name a replacement in replaceContactTypes`,
            inUse: unreplaced.map((row) => ({ type: row.type, contacts: row.contacts })),
          })
        }
        const moved: Array<{ from: string; to: string; contacts: number }> = []
        for (const row of inUse) {
          const to = input.replaceContactTypes![row.type]!
          moved.push({ from: row.type, to, contacts: yield* r.contacts.replaceType(principal.tenantId, row.type, to) })
        }
        yield* r.settings.put(next)
        yield* r.activity.append([
          yield* activityEvent(principal, now, "tenant.configured", {
            subjectId: principal.tenantId,
            conversationId: null,
            contactId: null,
            before: { ...current },
            after: { ...next, ...(moved.length > 0 && { contactTypesReplaced: moved }) },
          }),
        ])
        return next
      }),
    )
  }),
)
