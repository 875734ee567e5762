import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { text, textProblem } from "../../src/domain/shared/text"

const numRuns = Number(process.env.RMC_NUM_RUNS ?? 200)

const c0 = Array.from({ length: 0x20 }, (_, code) => String.fromCharCode(code))
const breaks = ["\t", "\n", "\r"]
const refusedEverywhere = [...c0.filter((c) => !breaks.includes(c)), "\u007f"]

describe("text rules", () => {
  it("refuse every C0 control character and DEL in a single-line text, tab and line breaks included", () => {
    for (const control of [...c0, "\u007f"]) {
      expect(textProblem(`a${control}b`), JSON.stringify(control)).toMatch(/control characters/)
      expect(text({ max: 10 }).safeParse(`a${control}b`).success).toBe(false)
    }
  })

  it("allow tab and line breaks, and only them, in a multi-line text", () => {
    for (const control of refusedEverywhere) expect(textProblem(`a${control}b`, true), JSON.stringify(control)).toMatch(/control characters/)
    expect(textProblem("a\tb\r\nc\nd", true)).toBeUndefined()
    expect(text({ max: 20, multiline: true }).parse("  a\tb\r\nc \n")).toBe("a\tb\r\nc")
  })

  it("refuse lone surrogates and accept surrogate pairs", () => {
    for (const lone of ["\uD800", "\uDBFF", "\uDC00", "\uDFFF", "a\uD83D", "\uDE00a", "\uDE00\uD83D"]) {
      expect(textProblem(lone), JSON.stringify(lone)).toMatch(/well-formed/)
    }
    expect(textProblem("\uD83D\uDE00 \u{10FFFF} 𝐁")).toBeUndefined()
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 30 }), (value) => {
        const wellFormed = !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(value)
        const clean = wellFormed && !/[\u0000-\u001f\u007f]/.test(value)
        expect(textProblem(value) === undefined).toBe(clean)
      }),
      { numRuns },
    )
  })

  it("accept any well-formed text without controls, and keep it as it is once trimmed", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 40 }), (value) => {
        fc.pre(!/[\u0000-\u001f\u007f]/.test(value))
        expect(text({ max: 200 }).parse(value)).toBe(value.trim())
        expect(text({ max: 200, trim: false }).parse(value)).toBe(value)
      }),
      { numRuns },
    )
  })

  it("check lengths on the trimmed text, in code points", () => {
    const name = text({ min: 1, max: 4 })
    expect(name.safeParse("   ").success).toBe(false)
    expect(name.parse("  abcd  ")).toBe("abcd")
    expect(name.safeParse("abcde").success).toBe(false)
    expect(name.parse("😀😀😀😀")).toBe("😀😀😀😀")
    expect(name.safeParse("😀😀😀😀😀").success).toBe(false)
  })

  it("name the field in the issue of an object's schema", () => {
    const result = text({ max: 10 }).array().safeParse(["ok", "n\u0000l"])
    expect(result.error?.issues.map((issue) => issue.path)).toEqual([[1]])
  })
})
