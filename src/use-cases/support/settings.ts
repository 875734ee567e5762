import { Effect } from "effect"
import type { StorageError } from "../../domain/shared/errors"
import { defaultTenantSettings, type TenantSettings } from "../../domain/tenant/tenant-settings"
import type { StorageRepositories } from "../../ports/storage"

/**
 * The tenant's settings, or the defaults for a tenant that was never configured.
 *
 * @internal
 */
export const settingsOf = (repositories: StorageRepositories, tenantId: string): Effect.Effect<TenantSettings, StorageError> =>
  Effect.map(repositories.settings.get(tenantId), (stored) => stored ?? defaultTenantSettings(tenantId))
