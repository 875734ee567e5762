import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { CatalogName } from "../../src/domain/tagging/catalog-name"
import { Color } from "../../src/domain/tagging/label"
import { normalizeName } from "../../src/domain/tagging/normalize-name"

const numRuns = Number(process.env.RMC_NUM_RUNS ?? 200)

describe("normalizeName", () => {
  it("makes names equal that differ only by case, accents and spaces", () => {
    expect(normalizeName("Prospect chaud")).toBe(normalizeName("  PROSPECT   Chaud "))
    expect(normalizeName("Réclamation")).toBe(normalizeName("reclamation"))
    expect(normalizeName("Incident en cours")).not.toBe(normalizeName("Incident clos"))
  })

  it("is idempotent and ignores case", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (name) => {
        const once = normalizeName(name)
        expect(normalizeName(once)).toBe(once)
        expect(normalizeName(name.toUpperCase())).toBe(normalizeName(name.toLowerCase()))
      }),
      { numRuns },
    )
  })

  it("ignores accents added to letters", () => {
    const marks = ["\u0301", "\u0300", "\u0302", "\u0308", "\u0327"]
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz"), fc.option(fc.constantFrom(...marks), { nil: undefined })), {
          minLength: 1,
          maxLength: 20,
        }),
        (letters) => {
          const plain = letters.map(([l]) => l).join("")
          const accented = letters.map(([l, m]) => (m === undefined ? l : `${l}${m}`.normalize("NFC"))).join("")
          expect(normalizeName(accented)).toBe(normalizeName(plain))
        },
      ),
      { numRuns },
    )
  })
})

describe("catalog names and colours", () => {
  it("need a letter or a digit and at most 80 characters", () => {
    expect(CatalogName.safeParse("VIP").success).toBe(true)
    expect(CatalogName.safeParse("  ").success).toBe(false)
    expect(CatalogName.safeParse("!!!").success).toBe(false)
    expect(CatalogName.safeParse("x".repeat(81)).success).toBe(false)
  })

  it("store colours in lower case", () => {
    expect(Color.parse("#E11D48")).toBe("#e11d48")
    expect(Color.safeParse("red").success).toBe(false)
  })
})
