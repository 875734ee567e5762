/**
 * How far ahead of the SDK's clock a time given by a caller may be, in milliseconds: 5 minutes.
 * Clocks of two machines drift apart, so a message router or a telephony platform that stamps
 * events with its own time may run a little ahead; further ahead is a mistake (or `9999-12-31`)
 * and is refused with a `ValidationError`, so that no conversation is pinned on top of every list.
 *
 * @example
 * ```ts
 * import { maxClockSkewMs } from "rmc-details"
 * const latestAccepted = new Date(Date.now() + maxClockSkewMs).toISOString()
 * ```
 */
export const maxClockSkewMs = 5 * 60 * 1000
