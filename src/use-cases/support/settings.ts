import { Effect } from "effect"
import type { StorageError } from "../../domain/shared/errors"
import { defaultTenantSettings, type TenantSettings } from "../../domain/tenant/tenant-settings"
import type { StorageRepositories } from "../../ports/storage"

/**
 * The tenant's settings, or the defaults for a tenant that was never configured.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { settingsOf, type StorageRepositories } from "rmc-details"
 * declare const repositories: StorageRepositories
 * const region = Effect.map(settingsOf(repositories, "acme"), (s) => s.defaultRegion)
 * ```
 */
export const settingsOf = (repositories: StorageRepositories, tenantId: string): Effect.Effect<TenantSettings, StorageError> =>
  Effect.map(repositories.settings.get(tenantId), (stored) => stored ?? defaultTenantSettings(tenantId))
