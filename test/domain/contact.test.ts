import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { Channel, phoneChannels } from "../../src/domain/contact/channel"
import { callableNumbers } from "../../src/domain/contact/contact"
import { E164, normalizePhone } from "../../src/domain/contact/phone"

const numRuns = Number(process.env.RMC_NUM_RUNS ?? 200)

describe("normalizePhone", () => {
  it("reads national numbers with the tenant's region and keeps international ones", () => {
    expect(normalizePhone("06 12 34 56 78", "FR")).toBe("+33612345678")
    expect(normalizePhone("+33 6 12 34 56 78", "US")).toBe("+33612345678")
    expect(normalizePhone("(201) 555-0123", "US")).toBe("+12015550123")
    expect(normalizePhone("hello", "FR")).toBeUndefined()
  })

  it("answers E.164 or nothing, and is idempotent", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.constantFrom("FR", "US", "DE", "GB", "BE", "MA"), (raw, region) => {
        const e164 = normalizePhone(raw, region)
        if (e164 !== undefined) {
          expect(E164.safeParse(e164).success).toBe(true)
          expect(normalizePhone(e164, region)).toBe(e164)
        }
      }),
      { numRuns },
    )
  })

  it("ignores the formatting of a French mobile number", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(" ", ".", "-", "", "  "), { minLength: 4, maxLength: 4 }), fc.boolean(), (seps, international) => {
        const pairs = ["06", "12", "34", "56", "78"]
        const national = pairs.map((pair, i) => `${pair}${seps[i] ?? ""}`).join("")
        const written = international ? `+33 ${national.slice(1)}` : national
        expect(normalizePhone(written, "FR")).toBe("+33612345678")
      }),
      { numRuns },
    )
  })
})

describe("callableNumbers", () => {
  it("lists the primary phone first, then the other numbers, without duplicates", () => {
    expect(callableNumbers({ primaryPhone: "+33612345678", phones: ["+33198765432", "+33612345678"], channelIdentities: [] })).toEqual([
      "+33612345678",
      "+33198765432",
    ])
    expect(callableNumbers({ primaryPhone: null, phones: [], channelIdentities: [] })).toEqual([])
  })

  it("counts the numbers of WhatsApp, SMS and voice identities, after the phones, and nothing of other channels", () => {
    const channelIdentities = [
      { channel: "email" as const, handle: "camille@example.com" },
      { channel: "whatsapp" as const, handle: "+33611111111" },
      { channel: "telegram" as const, handle: "+33622222222" },
      { channel: "sms" as const, handle: "+33612345678" },
      { channel: "voice" as const, handle: "+33633333333" },
    ]
    expect(callableNumbers({ primaryPhone: "+33612345678", phones: [], channelIdentities })).toEqual(["+33612345678", "+33611111111", "+33633333333"])
    expect(callableNumbers({ primaryPhone: null, phones: [], channelIdentities: [{ channel: "whatsapp", handle: "+33612345678" }] })).toEqual(["+33612345678"])
  })

  it("is every phone and every phone-channel handle, once each, primary first (property)", () => {
    const e164 = fc.integer({ min: 100_000_000, max: 799_999_999 }).map((n) => `+33${n}`)
    const identity = fc.record({ channel: fc.constantFrom(...Channel.options), handle: fc.oneof(e164, fc.constant("camille@example.com")) })
    fc.assert(
      fc.property(
        fc.option(e164, { nil: null }),
        fc.array(e164, { maxLength: 4 }),
        fc.array(identity, { maxLength: 6 }),
        (primaryPhone, phones, channelIdentities) => {
          const numbers = callableNumbers({ primaryPhone, phones, channelIdentities })
          expect(new Set(numbers).size).toBe(numbers.length)
          if (primaryPhone !== null) expect(numbers[0]).toBe(primaryPhone)
          const expected = new Set([
            ...(primaryPhone === null ? [] : [primaryPhone]),
            ...phones,
            ...channelIdentities.filter((i) => phoneChannels.has(i.channel) && i.handle.startsWith("+")).map((i) => i.handle),
          ])
          expect(new Set(numbers)).toEqual(expected)
        },
      ),
      { numRuns },
    )
  })
})
