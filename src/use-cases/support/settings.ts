import { Effect } from "effect"
import type { StorageError } from "../../domain/shared/errors"
import { defaultTenantSettings, type TenantSettings } from "../../domain/tenant/tenant-settings"
import type { LockMode, StorageRepositories } from "../../ports/storage"

/**
 * The tenant's settings, or the defaults for a tenant that was never configured.
 *
 * @internal
 */
export const settingsOf = (repositories: StorageRepositories, tenantId: string): Effect.Effect<TenantSettings, StorageError> =>
  Effect.map(repositories.settings.get(tenantId), (stored) => stored ?? defaultTenantSettings(tenantId))

/**
 * {@link settingsOf}, locked until the transaction ends (see `settings.getLocked`): what a write that
 * gives a contact a type reads, so that a concurrent change of the catalog waits for it or it for
 * the change.
 *
 * @internal
 */
export const lockedSettingsOf = (repositories: StorageRepositories, tenantId: string, mode: LockMode): Effect.Effect<TenantSettings, StorageError> =>
  Effect.map(repositories.settings.getLocked(tenantId, mode), (stored) => stored ?? defaultTenantSettings(tenantId))
