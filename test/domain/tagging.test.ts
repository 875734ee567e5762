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

describe("normalizeName on the whole of Unicode", () => {
  // Default-ignorable code points: soft hyphen, combining grapheme joiner, zero-width space and
  // joiners, word joiner, BOM, variation selectors, Mongolian selectors, Hangul fillers, tags.
  const ignorables = [
    "\u00AD",
    "\u034F",
    "\u200B",
    "\u200C",
    "\u200D",
    "\u2060",
    "\uFEFF",
    "\uFE0F",
    "\uFE00",
    "\u180B",
    "\u115F",
    "\u3164",
    "\u{E0001}",
    "\u{E0100}",
  ]
  const word = fc.array(fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789"), { minLength: 1, maxLength: 20 }).map((chars) => chars.join(""))

  it("is idempotent on any string, astral and ill-formed ones included", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "binary", maxLength: 30 }), fc.string({ unit: "grapheme", maxLength: 30 })), (name) => {
        const once = normalizeName(name)
        expect(normalizeName(once)).toBe(once)
      }),
      { numRuns: numRuns * 5 },
    )
  })

  it("ignores default-ignorable code points anywhere in a name", () => {
    fc.assert(
      fc.property(word, fc.array(fc.tuple(fc.nat(), fc.constantFrom(...ignorables)), { minLength: 1, maxLength: 5 }), (name, inserts) => {
        let variant = name
        for (const [at, ignorable] of inserts) {
          const i = at % (variant.length + 1)
          variant = `${variant.slice(0, i)}${ignorable}${variant.slice(i)}`
        }
        expect(normalizeName(variant)).toBe(normalizeName(name))
      }),
      { numRuns },
    )
    expect(normalizeName("Of\u00ADfice")).toBe("office")
    expect(normalizeName("\u200BVIP\u200D")).toBe("vip")
  })

  it("folds compatibility forms and full case mappings", () => {
    // Fullwidth, mathematical, ligature and circled forms of ASCII letters and digits.
    const forms: ReadonlyArray<(c: string) => string> = [
      (c) => String.fromCodePoint(c.codePointAt(0)! + 0xfee0),
      (c) => (/[a-z]/.test(c) ? String.fromCodePoint(0x1d41a + c.charCodeAt(0) - 97) : c),
      (c) => (/[0-9]/.test(c) ? String.fromCodePoint(0x1d7ce + c.charCodeAt(0) - 48) : c),
      (c) => c.toUpperCase(),
    ]
    fc.assert(
      fc.property(word, fc.array(fc.constantFrom(...forms.keys()), { minLength: 20, maxLength: 20 }), (name, picks) => {
        const variant = [...name].map((c, i) => forms[picks[i]!]!(c)).join("")
        expect(normalizeName(variant)).toBe(normalizeName(name))
      }),
      { numRuns },
    )
    expect(normalizeName("O\uFB03ce")).toBe("office")
    expect(normalizeName("Straße")).toBe(normalizeName("STRASSE"))
    expect(normalizeName("\u1E9Ee")).toBe(normalizeName("sse"))
    expect(normalizeName("ΟΔΟΣ")).toBe(normalizeName("οδος"))
    expect(normalizeName("İstanbul")).toBe("istanbul")
    expect(normalizeName("①②")).toBe("12")
    expect(normalizeName("ｖｉｐ　ｃｌｉｅｎｔ")).toBe("vip client")
  })

  it("keeps scripts that compose, such as Hangul, in their composed form", () => {
    expect(normalizeName("한국어 지원")).toBe("한국어 지원")
    expect(normalizeName("客户服务")).toBe("客户服务")
  })
})

describe("catalog names and colours", () => {
  it("are refused when their normalised form is longer than 80 characters, or empty", () => {
    expect(CatalogName.safeParse("\uFB03".repeat(26)).success).toBe(true)
    expect(CatalogName.safeParse("\uFB03".repeat(27)).success).toBe(false)
    expect(CatalogName.safeParse("\uFB03".repeat(80)).error?.issues.map((i) => i.message)).toEqual([
      expect.stringMatching(/at most 80 characters once normalised/),
    ])
    expect(CatalogName.safeParse("\uFDFA".repeat(5)).success).toBe(false)
    expect(CatalogName.safeParse("\u3164").success).toBe(false)
    expect(CatalogName.safeParse("\u3164\u200B\u00AD").success).toBe(false)
    expect(CatalogName.parse("𝐁".repeat(80))).toBe("𝐁".repeat(80))
    expect(CatalogName.safeParse("𝐁".repeat(81)).success).toBe(false)
  })

  it("refuse control characters and lone surrogates", () => {
    for (const name of ["VIP\u0000", "V\tIP", "V\nIP", "VIP\u001B", "VIP\u007F", "VIP\uD800", "\uDC00VIP"]) {
      expect(CatalogName.safeParse(name).success, JSON.stringify(name)).toBe(false)
    }
  })

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
