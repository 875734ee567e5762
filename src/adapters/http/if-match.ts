import { ValidationError } from "../../domain/shared/errors"

/**
 * An `If-Match` header as RFC 9110 (13.1.1) reads it: `*` (any current version), or the versions
 * that its strong entity tags name. A weak tag (`W/"3"`) or a tag this API never emits is kept out
 * of `versions`: strong comparison never matches it, so a list of only such tags matches nothing.
 *
 * @internal
 */
export type IfMatch = { readonly any: true } | { readonly any: false; readonly versions: ReadonlyArray<number> }

// One element of the list: optional W/, then an opaque tag of etagc characters (%x21 / %x23-7E / obs-text).
const entityTag = /^(W\/)?"([\x21\x23-\x7e\x80-\xff]*)"$/

/**
 * Parses an `If-Match` value (several header lines arrive joined by commas). Anything that is
 * neither `*` nor a list of entity tags is refused with a `ValidationError` (400).
 *
 * @internal
 */
export const parseIfMatch = (value: string): IfMatch => {
  if (value.trim() === "*") return { any: true }
  const versions = new Set<number>()
  let tags = 0
  for (const element of splitList(value)) {
    const match = entityTag.exec(element)
    if (match === null) {
      throw new ValidationError({
        message: 'If-Match must be "*" or a list of entity tags, like "3"',
        issues: [{ path: ["If-Match"], message: "not an entity tag" }],
      })
    }
    tags++
    if (match[1] === undefined && /^(?:0|[1-9]\d{0,15})$/.test(match[2]!)) {
      const version = Number(match[2])
      if (Number.isSafeInteger(version)) versions.add(version)
    }
  }
  if (tags === 0) throw new ValidationError({ message: "If-Match is empty", issues: [{ path: ["If-Match"], message: "empty" }] })
  return { any: false, versions: [...versions].sort((a, b) => b - a) }
}

// Splits on the commas between tags, not those inside quotes (an opaque tag may contain a comma).
const splitList = (value: string): Array<string> => {
  const elements: Array<string> = []
  let current = ""
  let quoted = false
  for (const char of value) {
    if (char === '"') quoted = !quoted
    if (char === "," && !quoted) {
      elements.push(current)
      current = ""
    } else current += char
  }
  elements.push(current)
  // The list rule of RFC 9110 (5.6.1) allows empty elements and whitespace around them.
  return elements.map((element) => element.trim()).filter((element) => element !== "")
}
