import * as z from "zod"

/**
 * Identifier of a record created by the SDK: a UUID (version 7, time-ordered, when the default
 * id generator is used).
 *
 * @example
 * ```ts
 * import { EntityId } from "rmc-details"
 * EntityId.parse("0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11")
 * ```
 */
export const EntityId = z.uuid()
/** @see {@link EntityId} */
export type EntityId = z.infer<typeof EntityId>

/**
 * Identifier that comes from the embedding product (a tenant, an agent): 1 to 128 characters of
 * letters, digits and `. _ : @ -`.
 *
 * @example
 * ```ts
 * import { ExternalId } from "rmc-details"
 * ExternalId.parse("acme-corp")
 * ```
 */
export const ExternalId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._:@-]+$/, "letters, digits and . _ : @ - only")
/** @see {@link ExternalId} */
export type ExternalId = z.infer<typeof ExternalId>

/**
 * A point in time, as an ISO-8601 UTC string with milliseconds (`Date.prototype.toISOString`).
 * The same value travels unchanged through the Promise API, HTTP and the activity log.
 *
 * @example
 * ```ts
 * import { Timestamp } from "rmc-details"
 * Timestamp.parse(new Date(0).toISOString()) // "1970-01-01T00:00:00.000Z"
 * ```
 */
export const Timestamp = z.iso.datetime({ precision: 3 })
/** @see {@link Timestamp} */
export type Timestamp = z.infer<typeof Timestamp>

/**
 * A point in time given by a caller: any ISO-8601 date-time with an offset. Normalise it with
 * `new Date(value).toISOString()` before comparing it with a {@link Timestamp}.
 *
 * @example
 * ```ts
 * import { TimestampInput } from "rmc-details"
 * TimestampInput.parse("2026-03-01T09:00:00+01:00")
 * ```
 */
export const TimestampInput = z.iso.datetime({ offset: true })
