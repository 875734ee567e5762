import { ValidationError, VersionConflictError } from "../../domain/shared/errors"

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

// Strong comparison never matches when the list names no version of this API: no record has this one.
const noVersion = Number.MAX_SAFE_INTEGER

/**
 * Runs a change under an `If-Match` precondition. `*` runs it whatever the current version. A
 * list runs it expecting one of its versions, highest first: when the record is at another
 * version of the list, it runs again expecting that one (a conflict writes nothing, so this is
 * safe); otherwise the conflict stands and is answered 412.
 *
 * @internal
 */
export const runIfMatch = async (ifMatch: IfMatch, run: (expectedVersion: number | undefined) => Promise<unknown>): Promise<unknown> => {
  if (ifMatch.any) return run(undefined)
  const untried = new Set(ifMatch.versions)
  let expected = ifMatch.versions[0] ?? noVersion
  for (;;) {
    untried.delete(expected)
    try {
      return await run(expected)
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error
      if (error.actual !== null && untried.has(error.actual)) {
        expected = error.actual
        continue
      }
      if (ifMatch.versions.length > 0) throw error
      throw new VersionConflictError({
        message: `${error.entity} ${error.id} is at version ${error.actual}; If-Match names no strong entity tag of this API, and weak tags never match`,
        entity: error.entity,
        id: error.id,
        expected: error.expected,
        actual: error.actual,
      })
    }
  }
}
