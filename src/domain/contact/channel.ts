import * as z from "zod"
import { text } from "../shared/text"

/**
 * The channels a customer writes on. A closed list: `whatsapp`, `email`, `webchat`, `sms`,
 * `messenger`, `instagram`, `telegram` and `voice` (a phone call).
 *
 * @example
 * ```ts
 * import { Channel } from "rmc-details"
 * Channel.parse("whatsapp")
 * ```
 */
export const Channel = z.enum(["whatsapp", "email", "webchat", "sms", "messenger", "instagram", "telegram", "voice"]).meta({ id: "Channel" })
/** @see {@link Channel} */
export type Channel = z.infer<typeof Channel>

/**
 * The channels whose handle is a phone number (WhatsApp, SMS, voice): stored in E.164, and callable.
 *
 * @example
 * ```ts
 * import { phoneChannels } from "rmc-details"
 * phoneChannels.has("whatsapp") // true
 * ```
 */
export const phoneChannels: ReadonlySet<Channel> = new Set<Channel>(["whatsapp", "sms", "voice"])

/**
 * The channels whose handle is a username (Telegram, Instagram): compared case-insensitively, and
 * "@marie" is "marie".
 *
 * @example
 * ```ts
 * import { usernameChannels } from "rmc-details"
 * usernameChannels.has("telegram") // true
 * ```
 */
export const usernameChannels: ReadonlySet<Channel> = new Set<Channel>(["telegram", "instagram"])

/**
 * Whether a handle names someone on its channel: a username needs a character after its "@" (a
 * lone "@" would be an identity of no one, the same for every contact).
 *
 * @example
 * ```ts
 * import { namesSomeone } from "rmc-details"
 * namesSomeone("telegram", "@") // false
 * namesSomeone("telegram", "@marie") // true
 * ```
 */
export const namesSomeone = (channel: Channel, handle: string): boolean => !usernameChannels.has(channel) || handle.replace(/^@/, "").length > 0

/**
 * A customer's address on a channel: a phone number for WhatsApp/SMS/voice, an e-mail address,
 * a page-scoped id for Messenger, a username for Telegram or Instagram (at least one character after
 * an "@"), a visitor id for web chat.
 *
 * @example
 * ```ts
 * import { ChannelIdentity } from "rmc-details"
 * ChannelIdentity.parse({ channel: "telegram", handle: "@marie" })
 * ```
 */
export const ChannelIdentity = z
  .object({
    channel: Channel,
    handle: text({ min: 1, max: 320 }),
  })
  .refine((identity) => namesSomeone(identity.channel, identity.handle), { path: ["handle"], message: "A username needs a character after @" })
  .meta({ id: "ChannelIdentity" })
/** @see {@link ChannelIdentity} */
export type ChannelIdentity = z.infer<typeof ChannelIdentity>
