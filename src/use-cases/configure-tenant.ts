import { Effect } from "effect"
import { ValidationError } from "../domain/shared/errors"
import type { TenantSettings } from "../domain/tenant/tenant-settings"
import { Storage } from "../ports/storage"
import { activityEvent } from "./support/activity"
import { expectVersion } from "./support/expect-version"
import { currentTime } from "./support/now"
import { settingsOf } from "./support/settings"
import { defineUseCase } from "./support/use-case"

/**
 * Changes the tenant's default region, contact types, allowed transformations or policies (admin).
 * Every transition must name contact types of the catalog. Contacts keep their type when it leaves
 * the catalog.
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
        const current = yield* settingsOf(r, principal.tenantId)
        yield* expectVersion("tenant", principal.tenantId, input.expectedVersion, current.version)
        const next: TenantSettings = {
          tenantId: principal.tenantId,
          defaultRegion: input.defaultRegion ?? current.defaultRegion,
          contactTypes: input.contactTypes ? [...new Set(input.contactTypes)] : current.contactTypes,
          transitions: input.transitions ?? current.transitions,
          policies: { ...current.policies, ...input.policies },
          version: current.version + 1,
        }
        const unknown = next.transitions.flatMap((t, i) =>
          [t.from, t.to]
            .filter((type) => !next.contactTypes.includes(type))
            .map((type) => ({ path: ["transitions", i], message: `${type} is not a contact type of the tenant` })),
        )
        if (unknown.length > 0) {
          return yield* new ValidationError({ message: `Invalid transitions: ${unknown[0]?.message}`, issues: unknown })
        }
        yield* r.settings.put(next)
        yield* r.activity.append([
          yield* activityEvent(principal, now, "tenant.configured", {
            subjectId: principal.tenantId,
            conversationId: null,
            contactId: null,
            before: { ...current },
            after: { ...next },
          }),
        ])
        return next
      }),
    )
  }),
)
