import { Effect } from "effect"
import { type Channel, namesSomeone, phoneChannels } from "../../domain/contact/channel"
import { type ContactIdentity, identityOfHandle } from "../../domain/contact/contact-identity"
import { type StorageError, ValidationError } from "../../domain/shared/errors"
import { Storage } from "../../ports/storage"
import { phoneOrFail } from "./phones"
import { settingsOf } from "./settings"

// A number in international form reads the same in every region: "+33 6 12 34 56 78" needs no settings.
const international = (raw: string) => raw.trim().startsWith("+")

/**
 * A channel handle given by a caller, normalised like a contact's (see `normalizeIdentities`), or a
 * {@link ValidationError} naming `path`: a
 * phone handle in national form is read with the tenant's region, which costs a read of its
 * settings; any other handle needs none, so that looking it up is one statement.
 *
 * @internal
 */
export const normalizedHandle = (
  tenantId: string,
  channel: Channel,
  handle: string,
  path: ReadonlyArray<string>,
): Effect.Effect<{ readonly channel: Channel; readonly handle: string }, ValidationError | StorageError, Storage> =>
  Effect.gen(function* () {
    if (!namesSomeone(channel, handle)) {
      return yield* new ValidationError({
        message: `Invalid ${path.join(".")}: a username needs a character after @`,
        issues: [{ path: [...path], message: "A username needs a character after @" }],
      })
    }
    if (!phoneChannels.has(channel)) return { channel, handle: channel === "email" ? handle.toLowerCase() : handle }
    const region = international(handle)
      ? // Unused: an international number carries its country.
        "FR"
      : (yield* Storage.use((storage) => storage.query((r) => settingsOf(r, tenantId)))).defaultRegion
    return { channel, handle: yield* phoneOrFail(handle, region, path) }
  })

/**
 * The identity a lookup names: a phone number (read with the tenant's region), an e-mail address,
 * or a channel with a handle, normalised as contacts' identities are.
 *
 * @internal
 */
export const identityOfInput = (
  tenantId: string,
  input: {
    readonly phone?: string | undefined
    readonly email?: string | undefined
    readonly channel?: Channel | undefined
    readonly handle?: string | undefined
  },
): Effect.Effect<ContactIdentity, ValidationError | StorageError, Storage> => {
  if (input.email !== undefined) return Effect.succeed({ kind: "email", value: input.email.toLowerCase() })
  const [channel, handle, path] = input.phone !== undefined ? (["voice", input.phone, "phone"] as const) : ([input.channel!, input.handle!, "handle"] as const)
  return Effect.map(normalizedHandle(tenantId, channel, handle, [path]), (normalized) => identityOfHandle(normalized.channel, normalized.handle))
}
