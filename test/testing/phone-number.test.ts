import { fc, test } from "@fast-check/vitest"
import { expect } from "vitest"
import { normalizePhone } from "../../src/domain/contact/phone"
import { phoneNumber, phoneRegions } from "../../src/testing"

const numRuns = Number(process.env.RMC_KIT_RUNS ?? 200)

test.prop([fc.constantFrom(...phoneRegions).chain((region) => fc.tuple(fc.constant(region), phoneNumber({ defaultRegion: region })))], { numRuns })(
  "every phone number reads as a valid E.164 number with the tenant's region",
  ([region, phone]) => {
    expect(normalizePhone(phone, region)).toMatch(/^\+[1-9]\d{6,14}$/)
  },
)

test.prop([phoneNumber({ defaultRegion: "BE", regions: ["BE"] })], { numRuns })("numbers of one region stay in it", (phone) => {
  expect(normalizePhone(phone, "BE")).toMatch(/^\+32/)
})
