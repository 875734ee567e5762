import { Effect } from "effect"
import { maxProviderCallIdLength } from "../../domain/call/call-attempt"

/**
 * A telephony system's call id as the SDK stores and looks it up: as it is up to
 * {@link maxProviderCallIdLength} characters, `sha256:` and its hex digest beyond. Both the answer
 * of a dial and the id of a status report go through it, so a long id still matches its call.
 *
 * @internal
 */
export const storedProviderCallId = (id: string): Effect.Effect<string> =>
  id.length <= maxProviderCallIdLength
    ? Effect.succeed(id)
    : Effect.promise(async () => {
        const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(id))
        return `sha256:${Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("")}`
      })
