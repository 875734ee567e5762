import { Effect } from "effect"
import { ValidationError } from "../../domain/shared/errors"
import type { TenantSettings } from "../../domain/tenant/tenant-settings"

/**
 * The type a new contact gets: `type` if it is one of the tenant's contact types (a
 * {@link ValidationError} otherwise), the first of the catalog when absent.
 *
 * @internal
 */
export const newContactType = (settings: TenantSettings, type: string | undefined): Effect.Effect<string, ValidationError> => {
  const chosen = type ?? settings.contactTypes[0] ?? "User"
  return settings.contactTypes.includes(chosen)
    ? Effect.succeed(chosen)
    : Effect.fail(
        new ValidationError({
          message: `Invalid type: ${chosen} is not a contact type of the tenant`,
          issues: [{ path: ["type"], message: `one of ${settings.contactTypes.join(", ")}` }],
        }),
      )
}
