import * as z from "zod"

// C0 controls (U+0000-U+001F) and DEL. NUL is refused by PostgreSQL in text columns, and the others
// have no place in a name or an id: they are refused everywhere, so that every store holds the same.
const controls = /[\u0000-\u001f\u007f]/u
// The same, less tab, line feed and carriage return, which a multi-line text (a note) may hold.
const controlsOfMultiLine = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/u
// A lone surrogate: a string that is not well-formed UTF-16 (`String.prototype.isWellFormed`).
// Encoders replace it with U+FFFD, so a store would hold something else than the caller sent.
const loneSurrogate = /\p{Surrogate}/u

/**
 * What a text field accepts: its length once trimmed (in Unicode code points, as zod and database
 * columns count characters: "😀" is one), whether it may hold tabs and line breaks, and whether
 * surrounding white space is removed.
 *
 * @example
 * ```ts
 * import type { TextOptions } from "rmc-details"
 * const noteBody: TextOptions = { min: 1, max: 5000, multiline: true }
 * ```
 */
export interface TextOptions {
  /** The fewest characters; 0 by default. */
  readonly min?: number | undefined
  /** The most characters. */
  readonly max: number
  /** Tab, line feed and carriage return are allowed; other control characters never are. */
  readonly multiline?: boolean | undefined
  /** White space around the text is removed before it is checked; `true` by default. */
  readonly trim?: boolean | undefined
}

/**
 * Why a text breaks the rules that every text of the SDK follows, or `undefined` when it follows
 * them: it must be well-formed Unicode (no lone surrogate) and hold no control character (U+0000 to
 * U+001F, U+007F), except tab and line breaks in a multi-line text.
 *
 * @example
 * ```ts
 * import { textProblem } from "rmc-details"
 * textProblem("Call back\n3pm", true) // undefined
 * textProblem("a\u0000b") // "must not contain control characters (U+0000 to U+001F, U+007F)"
 * ```
 */
export const textProblem = (value: string, multiline = false): string | undefined => {
  if (loneSurrogate.test(value)) return "must be well-formed Unicode (no lone surrogate)"
  if ((multiline ? controlsOfMultiLine : controls).test(value)) {
    return multiline ? "must not contain control characters other than tab and line breaks" : "must not contain control characters (U+0000 to U+001F, U+007F)"
  }
  return undefined
}

/**
 * Builds the schema of a text given by a caller. Every string input of the SDK is one (or a
 * stricter format: an id, a timestamp, a colour), so no store ever receives a NUL, another control
 * character or a lone surrogate: the input is refused with a `ValidationError` naming the field.
 *
 * @example
 * ```ts
 * import { text } from "rmc-details"
 * const Reason = text({ min: 1, max: 500, multiline: true })
 * Reason.parse("  Asked to be called\ntomorrow ") // "Asked to be called\ntomorrow"
 * Reason.safeParse("nul\u0000").success // false
 * ```
 */
export const text = (options: TextOptions): z.ZodString => {
  const trimmed = options.trim === false ? z.string() : z.string().trim()
  const bounded = (options.min ?? 0) > 0 ? trimmed.min(options.min!).max(options.max) : trimmed.max(options.max)
  const multiline = options.multiline === true
  return bounded.check((ctx) => {
    const problem = textProblem(ctx.value, multiline)
    if (problem !== undefined) ctx.issues.push({ code: "custom", message: problem, input: ctx.value })
  })
}
