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
 * A customer's address on a channel: a phone number for WhatsApp/SMS/voice, an e-mail address,
 * a page-scoped id for Messenger, a username for Telegram or Instagram, a visitor id for web chat.
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
  .meta({ id: "ChannelIdentity" })
/** @see {@link ChannelIdentity} */
export type ChannelIdentity = z.infer<typeof ChannelIdentity>
