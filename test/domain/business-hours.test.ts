import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { agentRefusal } from "../../src/domain/agent/agent"
import { BusinessHours, type OpeningPeriod, openingStatus } from "../../src/domain/department/business-hours"
import { departmentOpening, routeToDepartment, TenantRouting } from "../../src/domain/department/department-rules"
import { offsetChangeOn, wallClockAt, zonedInstant, zonedInstants } from "../../src/domain/department/zoned-time"

const numRuns = Number(process.env.RMC_NUM_RUNS ?? 200)
const iso = (ms: number) => new Date(ms).toISOString()
const everyDay = (opens: string, closes: string): Array<OpeningPeriod> => [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, opens, closes }))
const hours = (timeZone: string, weekly: Array<OpeningPeriod>, closures: Array<string> = []): BusinessHours => ({ timeZone, weekly, closures })

describe("wall clocks of a time zone", () => {
  it("turn a skipped time into the instant the clocks jump, and a time shown twice into both instants", () => {
    // Paris: 02:00 -> 03:00 on 2027-03-28, 03:00 -> 02:00 on 2027-10-31.
    expect(iso(zonedInstant(2027, 3, 28, 150, "Europe/Paris"))).toBe("2027-03-28T01:00:00.000Z")
    expect(zonedInstants(2027, 10, 31, 150, "Europe/Paris").map(iso)).toEqual(["2027-10-31T00:30:00.000Z", "2027-10-31T01:30:00.000Z"])
    // New York: 02:00 -> 03:00 on 2027-03-14, 02:00 -> 01:00 on 2027-11-07.
    expect(iso(zonedInstant(2027, 3, 14, 150, "America/New_York"))).toBe("2027-03-14T07:00:00.000Z")
    expect(zonedInstants(2027, 11, 7, 90, "America/New_York").map(iso)).toEqual(["2027-11-07T05:30:00.000Z", "2027-11-07T06:30:00.000Z"])
    expect(iso(offsetChangeOn({ year: 2027, month: 10, day: 31 }, "Europe/Paris")!)).toBe("2027-10-31T01:00:00.000Z")
    expect(offsetChangeOn({ year: 2027, month: 7, day: 1 }, "Europe/Paris")).toBeNull()
    expect(BusinessHours.safeParse(hours("Mars/Olympus", [])).success).toBe(false)
  })

  const zones = ["Europe/Paris", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "America/Sao_Paulo", "UTC"]
  it("show the time an instant was built from, on days without a change of offset", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.date({ min: new Date("2020-01-01T00:00:00Z"), max: new Date("2030-12-31T00:00:00Z"), noInvalidDate: true }),
        fc.integer({ min: 0, max: 1439 }),
        (zone, day, minutes) => {
          const date = { year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate() }
          fc.pre(offsetChangeOn(date, zone) === null)
          const wall = wallClockAt(zonedInstant(date.year, date.month, date.day, minutes, zone), zone)
          expect({ ...wall, weekday: 0 }).toEqual({ ...date, hour: Math.floor(minutes / 60), minute: minutes % 60, weekday: 0 })
        },
      ),
      { numRuns },
    )
  })
})

describe("business hours", () => {
  const weekdays = [1, 2, 3, 4, 5].map((day) => ({ day, opens: "09:00", closes: "18:00" }))

  it("open at the same wall-clock time on both sides of a daylight-saving change", () => {
    const paris = hours("Europe/Paris", everyDay("09:00", "18:00"))
    // Saturday evening before the spring change (UTC+1), then Sunday at 09:00 UTC+2.
    expect(openingStatus(paris, "2027-03-27T20:00:00.000Z")).toEqual({ open: false, nextOpeningAt: "2027-03-28T07:00:00.000Z" })
    expect(openingStatus(paris, "2027-03-27T08:00:00.000Z").open).toBe(true)
    expect(openingStatus(paris, "2027-03-28T06:59:59.000Z").open).toBe(false)
    expect(openingStatus(paris, "2027-03-28T07:00:00.000Z").open).toBe(true)
    // Autumn: 09:00 is 07:00 UTC on Saturday and 08:00 UTC on Sunday.
    expect(openingStatus(paris, "2027-10-30T07:00:00.000Z").open).toBe(true)
    expect(openingStatus(paris, "2027-10-30T20:00:00.000Z")).toEqual({ open: false, nextOpeningAt: "2027-10-31T08:00:00.000Z" })
    expect(openingStatus(paris, "2027-10-31T07:30:00.000Z").open).toBe(false)
    const newYork = hours("America/New_York", weekdays)
    expect(openingStatus(newYork, "2027-03-12T23:00:00.000Z")).toEqual({ open: false, nextOpeningAt: "2027-03-15T13:00:00.000Z" })
    expect(openingStatus(newYork, "2027-11-05T23:00:00.000Z")).toEqual({ open: false, nextOpeningAt: "2027-11-08T14:00:00.000Z" })
  })

  it("stay closed on exceptional closures, and open when the clocks jump into a period", () => {
    const paris = hours("Europe/Paris", weekdays, ["2027-12-24", "2027-12-27"])
    // Friday 24 closed, the weekend closed, Monday 27 closed: Tuesday 28 at 09:00 UTC+1.
    expect(openingStatus(paris, "2027-12-23T18:00:00.000Z")).toEqual({ open: false, nextOpeningAt: "2027-12-28T08:00:00.000Z" })
    expect(openingStatus(paris, "2027-12-24T10:00:00.000Z").open).toBe(false)
    // A period from 02:30 on the day 02:00-03:00 is skipped opens at the jump.
    expect(openingStatus(hours("Europe/Paris", everyDay("02:30", "05:00")), "2027-03-28T00:00:00.000Z").nextOpeningAt).toBe("2027-03-28T01:00:00.000Z")
    // On the way back, 01:00-02:30 opens a second time when the clocks go back from 03:00 to 02:00.
    expect(openingStatus(hours("Europe/Paris", everyDay("01:00", "02:30")), "2027-10-31T00:45:00.000Z")).toEqual({
      open: false,
      nextOpeningAt: "2027-10-31T01:00:00.000Z",
    })
    expect(openingStatus(hours("Europe/Paris", []), "2027-01-01T00:00:00.000Z")).toEqual({ open: false, nextOpeningAt: null })
  })

  const time = fc.integer({ min: 0, max: 1439 })
  const clock = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`
  const period = fc
    .tuple(fc.integer({ min: 1, max: 7 }), time, time)
    .filter(([, a, b]) => a !== b)
    .map(([day, a, b]) => ({ day, opens: clock(Math.min(a, b)), closes: Math.max(a, b) === 1439 ? "24:00" : clock(Math.max(a, b)) }))
  const zone = fc.constantFrom("Europe/Paris", "America/New_York", "Australia/Lord_Howe", "America/Sao_Paulo", "Asia/Kolkata")
  // Daylight-saving changes of 2027 in Paris, New York and Lord Howe (a half-hour change).
  const changes = [
    "2027-03-28T01:00:00Z",
    "2027-10-31T01:00:00Z",
    "2027-03-14T07:00:00Z",
    "2027-11-07T06:00:00Z",
    "2027-04-03T15:00:00Z",
    "2027-10-02T15:30:00Z",
  ]
  const nearChange = fc
    .tuple(fc.constantFrom(...changes.map(Date.parse)), fc.integer({ min: -36 * 3600, max: 36 * 3600 }))
    .map(([change, seconds]) => change + seconds * 1000)
  const instant = fc.oneof(
    fc.integer({ min: Date.parse("2026-01-01T00:00:00Z"), max: Date.parse("2028-12-31T00:00:00Z") }).map((ms) => Math.floor(ms / 1000) * 1000),
    nearChange,
  )

  it("answer the first instant after a closed one at which the department is open, and none is open before it", () => {
    fc.assert(
      fc.property(
        zone,
        fc.array(period, { minLength: 1, maxLength: 6 }),
        instant,
        fc.double({ min: 0, max: 1, noNaN: true }),
        (timeZone, weekly, at, where) => {
          const schedule = hours(timeZone, weekly)
          const status = openingStatus(schedule, iso(at))
          if (status.open) return
          expect(status.nextOpeningAt).not.toBeNull()
          const next = Date.parse(status.nextOpeningAt!)
          expect(next).toBeGreaterThan(at)
          expect(openingStatus(schedule, status.nextOpeningAt!).open).toBe(true)
          const between = at + Math.floor(((next - at) * where) / 1000) * 1000
          if (between < next) expect(openingStatus(schedule, iso(between)).open).toBe(false)
          expect(openingStatus(schedule, iso(next - 1000)).open).toBe(false)
        },
      ),
      { numRuns },
    )
  })
})

describe("department rules", () => {
  const [sales, support, night] = ["0193a4f2-5d1c-7c3e-9a41-000000000001", "0193a4f2-5d1c-7c3e-9a41-000000000002", "0193a4f2-5d1c-7c3e-9a41-000000000003"]
  const closedAlways = hours("Europe/Paris", [])
  const route = (routing: unknown, from: string | null, to: string) => routeToDepartment(TenantRouting.parse(routing), from, to, "2027-01-13T09:00:00.000Z")

  it("route to the target, refuse one the current department does not allow, follow the fallbacks of closed ones", () => {
    expect(routeToDepartment(undefined, sales, support, new Date())).toEqual({ ok: true, departmentId: support, rerouted: false })
    expect(route({ departments: { [sales]: { transferTargets: [night] } } }, sales, support)).toEqual({ ok: false, reason: "department_not_allowed" })
    expect(route({ departments: { [sales]: { transferTargets: [night] } } }, sales, sales)).toMatchObject({ ok: true })
    expect(route({ departments: { [support]: { businessHours: closedAlways } } }, sales, support)).toEqual({ ok: false, reason: "department_closed" })
    expect(route({ departments: { [support]: { businessHours: closedAlways, fallbackDepartmentId: night } } }, null, support)).toEqual({
      ok: true,
      departmentId: night,
      rerouted: true,
    })
    // Fallbacks that are all closed, in a loop, refuse rather than go round.
    const loop = {
      [support]: { businessHours: closedAlways, fallbackDepartmentId: night },
      [night]: { businessHours: closedAlways, fallbackDepartmentId: support },
    }
    expect(route({ departments: loop }, sales, support)).toEqual({ ok: false, reason: "department_closed" })
    expect(departmentOpening(TenantRouting.parse({ departments: loop }), night, new Date())).toMatchObject({
      open: false,
      nextOpeningAt: null,
      fallbackDepartmentId: support,
    })
  })

  it("let an agent take a conversation only when it is known, active and a member of the department it goes to", () => {
    expect(agentRefusal(null, null)).toBe("unknown_agent")
    expect(agentRefusal({ active: false, departmentIds: [sales] }, sales)).toBe("inactive_agent")
    expect(agentRefusal({ active: true, departmentIds: [sales] }, support)).toBe("agent_not_in_department")
    expect(agentRefusal({ active: true, departmentIds: [] }, null)).toBeNull()
    expect(agentRefusal({ active: true, departmentIds: [sales] }, sales)).toBeNull()
  })
})
