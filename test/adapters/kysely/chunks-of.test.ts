import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { chunksOf } from "../../../src/adapters/kysely/repositories/chunks-of"

describe("chunksOf", () => {
  it("splits a list into consecutive slices of at most the size, all full but the last, losing nothing", () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), fc.integer({ min: 1, max: 20 }), (values, size) => {
        const chunks = chunksOf(values, size)
        expect(chunks.flat()).toEqual(values)
        expect(chunks.length).toBe(Math.ceil(values.length / size))
        for (const [i, chunk] of chunks.entries()) expect(chunk.length).toBe(i < chunks.length - 1 ? size : values.length - size * i)
      }),
    )
  })
})
