import { Effect } from "effect"
import { Storage } from "../ports/storage"
import { settingsOf } from "./support/settings"
import { defineUseCase } from "./support/use-case"

/**
 * Reads the tenant's settings (the defaults until an admin configures them).
 *
 * @example
 * ```ts
 * import { getSettings } from "rmc-details"
 * const program = getSettings({ tenantId: "acme", agentId: "alice", role: "agent" }, {})
 * ```
 */
export const getSettings = defineUseCase("getSettings", (principal) =>
  Effect.gen(function* () {
    const storage = yield* Storage
    return yield* storage.query((r) => settingsOf(r, principal.tenantId))
  }),
)
