/**
 * A date and time as a wall clock of some time zone shows it (`weekday`: 1 = Monday ... 7 = Sunday).
 *
 * @example
 * ```ts
 * import type { WallClock } from "rmc-details"
 * const nineOnMonday: WallClock = { year: 2027, month: 3, day: 29, hour: 9, minute: 0, weekday: 1 }
 * ```
 */
export interface WallClock {
  readonly year: number
  readonly month: number
  readonly day: number
  readonly hour: number
  readonly minute: number
  readonly weekday: number
}

// Building a DateTimeFormat costs far more than formatting with one: one per zone, kept.
const formatters = new Map<string, Intl.DateTimeFormat>()
const formatterOf = (timeZone: string): Intl.DateTimeFormat => {
  let formatter = formatters.get(timeZone)
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    })
    formatters.set(timeZone, formatter)
  }
  return formatter
}

/**
 * Whether `timeZone` is an IANA time zone the JavaScript runtime knows (`Europe/Paris`, `UTC`...).
 *
 * @example
 * ```ts
 * import { isTimeZone } from "rmc-details"
 * isTimeZone("Europe/Paris") // true
 * isTimeZone("Mars/Olympus") // false
 * ```
 */
export const isTimeZone = (timeZone: string): boolean => {
  try {
    formatterOf(timeZone)
    return true
  } catch {
    return false
  }
}

/** The wall clock of `timeZone` at `ms`, seconds included, as a UTC time value. */
const wallMs = (ms: number, timeZone: string): number => {
  const parts: Record<string, number> = {}
  for (const part of formatterOf(timeZone).formatToParts(new Date(ms))) {
    if (part.type !== "literal") parts[part.type] = Number(part.value)
  }
  return Date.UTC(parts.year ?? 0, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
}

/** The zone's offset from UTC at the instant `ms`, in milliseconds (whole seconds). */
const offsetAt = (ms: number, timeZone: string): number => wallMs(ms, timeZone) - Math.floor(ms / 1000) * 1000

const isoWeekday = (utcMs: number): number => {
  const day = new Date(utcMs).getUTCDay()
  return day === 0 ? 7 : day
}

/**
 * What the wall clocks of `timeZone` show at the instant `ms` (from the runtime's time zone
 * database, through `Intl`).
 *
 * @example
 * ```ts
 * import { wallClockAt } from "rmc-details"
 * wallClockAt(Date.parse("2027-07-01T07:00:00Z"), "Europe/Paris").hour // 9
 * ```
 */
export const wallClockAt = (ms: number, timeZone: string): WallClock => {
  const wall = new Date(wallMs(ms, timeZone))
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    weekday: isoWeekday(wall.getTime()),
  }
}

const dayMs = 86_400_000

/**
 * The instants at which the wall clocks of `timeZone` show `minutes` after midnight of the day
 * `year-month-day`, first one first: one on most days, two for a time the clocks show twice (a
 * fall-back overlap), and for a time they skip (a spring-forward gap) the instant they jump past it.
 *
 * @example
 * ```ts
 * import { zonedInstants } from "rmc-details"
 * zonedInstants(2027, 10, 31, 150, "Europe/Paris").map((ms) => new Date(ms).toISOString())
 * // ["2027-10-31T00:30:00.000Z", "2027-10-31T01:30:00.000Z"]: 02:30 comes twice
 * ```
 */
export const zonedInstants = (year: number, month: number, day: number, minutes: number, timeZone: string): Array<number> => {
  const wall = Date.UTC(year, month - 1, day) + minutes * 60_000
  // Time zones change their offset at most once within two days: the offsets a day before and a
  // day after are the only ones that can apply.
  const candidates = [...new Set([wall - offsetAt(wall - dayMs, timeZone), wall - offsetAt(wall + dayMs, timeZone)])].sort((a, b) => a - b)
  const shown = candidates.filter((ms) => wallMs(ms, timeZone) === wall)
  if (shown.length > 0) return shown
  // Skipped: find the instant of the jump, the first whose wall clock is past `wall`.
  let low = candidates[0]!
  let high = candidates.at(-1)!
  while (high - low > 1000) {
    const middle = low + Math.floor((high - low) / 2000) * 1000
    if (wallMs(middle, timeZone) >= wall) high = middle
    else low = middle
  }
  return [high]
}

/**
 * The first instant at which the wall clocks of `timeZone` show `minutes` after midnight of the
 * day `year-month-day` (see {@link zonedInstants}): for a skipped time, the instant the clocks jump
 * past it; for a time shown twice, the first.
 *
 * @example
 * ```ts
 * import { zonedInstant } from "rmc-details"
 * new Date(zonedInstant(2027, 3, 28, 150, "Europe/Paris")).toISOString() // "2027-03-28T01:00:00.000Z": 02:30 does not exist
 * ```
 */
export const zonedInstant = (year: number, month: number, day: number, minutes: number, timeZone: string): number =>
  zonedInstants(year, month, day, minutes, timeZone)[0]!

/**
 * The instant the zone's offset changes (a daylight-saving change) during the day
 * `year-month-day` of its wall clocks, or `null` when it does not.
 *
 * @example
 * ```ts
 * import { offsetChangeOn } from "rmc-details"
 * new Date(offsetChangeOn({ year: 2027, month: 3, day: 14 }, "America/New_York")!).toISOString() // "2027-03-14T07:00:00.000Z"
 * ```
 */
export const offsetChangeOn = (date: { readonly year: number; readonly month: number; readonly day: number }, timeZone: string): number | null => {
  // Offsets lie within ±14 hours: every instant whose wall clock shows this day lies in this window.
  const start = Date.UTC(date.year, date.month - 1, date.day)
  let low = start - 14 * 3_600_000
  let high = start + dayMs + 14 * 3_600_000
  const after = offsetAt(high, timeZone)
  if (offsetAt(low, timeZone) === after) return null
  while (high - low > 1000) {
    const middle = low + Math.floor((high - low) / 2000) * 1000
    if (offsetAt(middle, timeZone) === after) high = middle
    else low = middle
  }
  // The change in the window may belong to the day before or after.
  const shows = (ms: number) => {
    const wall = wallClockAt(ms, timeZone)
    return wall.year === date.year && wall.month === date.month && wall.day === date.day
  }
  return shows(high) || shows(high - 1000) ? high : null
}

/**
 * The calendar day `days` after `year-month-day`.
 *
 * @example
 * ```ts
 * import { addDays } from "rmc-details"
 * addDays({ year: 2027, month: 12, day: 31 }, 1) // { year: 2028, month: 1, day: 1 }
 * ```
 */
export const addDays = (date: { readonly year: number; readonly month: number; readonly day: number }, days: number) => {
  const next = new Date(Date.UTC(date.year, date.month - 1, date.day) + days * dayMs)
  return { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() }
}

/**
 * The ISO weekday (1 = Monday ... 7 = Sunday) of a calendar day.
 *
 * @example
 * ```ts
 * import { weekdayOf } from "rmc-details"
 * weekdayOf({ year: 2027, month: 3, day: 28 }) // 7
 * ```
 */
export const weekdayOf = (date: { readonly year: number; readonly month: number; readonly day: number }): number =>
  isoWeekday(Date.UTC(date.year, date.month - 1, date.day))
