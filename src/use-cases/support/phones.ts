import { Effect } from "effect"
import { type ChannelIdentity, phoneChannels } from "../../domain/contact/channel"
import { normalizePhone } from "../../domain/contact/phone"
import { ValidationError } from "../../domain/shared/errors"

/**
 * Normalises a phone number given by a caller to E.164 with the tenant's region, or fails with a
 * {@link ValidationError} naming `path`.
 *
 * @internal
 */
export const phoneOrFail = (raw: string, region: string, path: ReadonlyArray<string | number>): Effect.Effect<string, ValidationError> => {
  const e164 = normalizePhone(raw, region)
  return e164 === undefined
    ? Effect.fail(
        new ValidationError({
          message: `Invalid ${path.join(".")}: not a valid phone number`,
          issues: [{ path, message: "not a valid phone number" }],
        }),
      )
    : Effect.succeed(e164)
}

/**
 * Normalises channel identities: phone-based channels (WhatsApp, SMS, voice) to E.164, e-mail
 * handles to lower case; duplicates removed.
 *
 * @internal
 */
export const normalizeIdentities = (
  identities: ReadonlyArray<ChannelIdentity>,
  region: string,
): Effect.Effect<ReadonlyArray<ChannelIdentity>, ValidationError> =>
  Effect.map(
    Effect.forEach(identities, (identity, i) =>
      phoneChannels.has(identity.channel)
        ? Effect.map(phoneOrFail(identity.handle, region, ["channelIdentities", i, "handle"]), (handle) => ({ ...identity, handle }))
        : Effect.succeed(identity.channel === "email" ? { ...identity, handle: identity.handle.toLowerCase() } : identity),
    ),
    (normalized) => {
      const seen = new Set<string>()
      return normalized.filter((identity) => {
        const key = `${identity.channel}\u0000${identity.handle}`
        if (seen.has(key)) return false
        seen.add(key)
        return true
      })
    },
  )

/**
 * Normalises a primary phone and other numbers: the others never repeat the primary one nor each
 * other.
 *
 * @internal
 */
export const normalizePhones = (
  primary: string | null,
  others: ReadonlyArray<string>,
  region: string,
): Effect.Effect<{ readonly primaryPhone: string | null; readonly phones: ReadonlyArray<string> }, ValidationError> =>
  Effect.gen(function* () {
    const primaryPhone = primary === null ? null : yield* phoneOrFail(primary, region, ["primaryPhone"])
    const normalized = yield* Effect.forEach(others, (raw, i) => phoneOrFail(raw, region, ["phones", i]))
    return { primaryPhone, phones: [...new Set(normalized)].filter((p) => p !== primaryPhone) }
  })
