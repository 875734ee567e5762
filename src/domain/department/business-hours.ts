import * as z from "zod"
import { addDays, isTimeZone, offsetChangeOn, wallClockAt, weekdayOf, zonedInstants } from "./zoned-time"

const clockTime = (latest: string) =>
  z
    .string()
    .regex(/^([01]\d|2[0-4]):[0-5]\d$/, "a time HH:MM")
    .refine((value) => value <= latest, `at most ${latest}`)

const minutesOf = (time: string): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5))

/**
 * A period of a week day during which a department is open, in the wall-clock time of its time
 * zone: from `opens` (included) to `closes` (excluded, `24:00` for midnight), `day` 1 = Monday ...
 * 7 = Sunday.
 *
 * @example
 * ```ts
 * import { OpeningPeriod } from "rmc-details"
 * OpeningPeriod.parse({ day: 1, opens: "09:00", closes: "18:00" })
 * ```
 */
export const OpeningPeriod = z
  .object({ day: z.number().int().min(1).max(7), opens: clockTime("23:59"), closes: clockTime("24:00") })
  .refine((p) => p.opens < p.closes, { message: "closes must come after opens", path: ["closes"] })
  .meta({ id: "OpeningPeriod" })
/** @see {@link OpeningPeriod} */
export type OpeningPeriod = z.infer<typeof OpeningPeriod>

/**
 * When a department is open: an IANA `timeZone`, the `weekly` opening periods (in that zone's
 * wall-clock time, so that opening hours follow daylight-saving changes), and `closures`, days
 * (`YYYY-MM-DD` in that zone) on which it stays closed whatever the week says (public holidays).
 *
 * @example
 * ```ts
 * import { BusinessHours } from "rmc-details"
 * BusinessHours.parse({ timeZone: "Europe/Paris", weekly: [{ day: 1, opens: "09:00", closes: "18:00" }], closures: ["2027-12-25"] })
 * ```
 */
export const BusinessHours = z
  .object({
    timeZone: z
      .string()
      .min(1)
      .max(64)
      .refine(isTimeZone, "an IANA time zone such as Europe/Paris")
      .meta({ examples: ["Europe/Paris", "America/New_York", "Asia/Kolkata", "UTC"] }),
    weekly: z.array(OpeningPeriod).max(100),
    closures: z.array(z.iso.date()).max(366).default([]),
  })
  .meta({ id: "BusinessHours" })
/** @see {@link BusinessHours} */
export type BusinessHours = z.infer<typeof BusinessHours>

/**
 * Whether a department is open at an instant and, when it is closed, when it opens next (`null`
 * when its hours never open it again within a year).
 *
 * @example
 * ```ts
 * import type { OpeningStatus } from "rmc-details"
 * const label = (s: OpeningStatus) => (s.open ? "open" : `opens ${s.nextOpeningAt ?? "later"}`)
 * ```
 */
export const OpeningStatus = z.object({ open: z.boolean(), nextOpeningAt: z.iso.datetime({ precision: 3 }).nullable() }).meta({ id: "OpeningStatus" })
/** @see {@link OpeningStatus} */
export type OpeningStatus = z.infer<typeof OpeningStatus>

const pad = (n: number, width = 2) => String(n).padStart(width, "0")
const dateKey = (d: { readonly year: number; readonly month: number; readonly day: number }) => `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}`

// A closure is a whole day, and closures are at most 366: a year and a week of days is enough to
// find the next opening of any schedule that has one.
const searchDays = 366 + 8

/**
 * Whether `hours` have the department open at instant `at` (a {@link Timestamp} or a `Date`), and
 * when it opens next if it is closed. Computed on the wall clock of the hours' time zone: a period
 * from 09:00 opens at 09:00 local time on both sides of a daylight-saving change; a period that
 * starts in a skipped hour opens when the clocks jump past it.
 *
 * @example
 * ```ts
 * import { openingStatus } from "rmc-details"
 * const hours = { timeZone: "Europe/Paris", weekly: [{ day: 1, opens: "09:00", closes: "18:00" }], closures: [] }
 * openingStatus(hours, "2027-03-28T12:00:00.000Z") // { open: false, nextOpeningAt: "2027-03-29T07:00:00.000Z" }
 * ```
 */
export const openingStatus = (hours: BusinessHours, at: string | Date): OpeningStatus => {
  const ms = typeof at === "string" ? Date.parse(at) : at.getTime()
  const closed = new Set(hours.closures)
  const periodsOf = (weekday: number) => hours.weekly.filter((p) => p.day === weekday).map((p) => ({ opens: minutesOf(p.opens), closes: minutesOf(p.closes) }))
  const openAt = (instant: number) => {
    const wall = wallClockAt(instant, hours.timeZone)
    const minute = wall.hour * 60 + wall.minute
    return !closed.has(dateKey(wall)) && periodsOf(wall.weekday).some((p) => p.opens <= minute && minute < p.closes)
  }
  if (openAt(ms)) return { open: true, nextOpeningAt: null }
  // The department opens when the wall clock reaches a period's opening time, or when a
  // daylight-saving change makes it jump into a period: the first such instant after `at`.
  const today = wallClockAt(ms, hours.timeZone)
  for (let d = 0; d < searchDays; d++) {
    const date = addDays(today, d)
    const periods = periodsOf(weekdayOf(date))
    // A day without periods opens nothing, even when its clocks jump: after the jump they show that day.
    if (periods.length === 0 || closed.has(dateKey(date))) continue
    const change = offsetChangeOn(date, hours.timeZone)
    const candidates = [
      ...periods.flatMap((p) => zonedInstants(date.year, date.month, date.day, p.opens, hours.timeZone)),
      ...(change === null ? [] : [change]),
    ]
    const opening = candidates.filter((instant) => instant > ms && openAt(instant)).sort((a, b) => a - b)[0]
    if (opening !== undefined) return { open: false, nextOpeningAt: new Date(opening).toISOString() }
  }
  return { open: false, nextOpeningAt: null }
}
