// Characters that render as nothing (zero-width space, soft hyphen, joiners, variation selectors,
// Hangul fillers...): two names that differ only by them look the same to an agent.
const ignorable = /\p{Default_Ignorable_Code_Point}/gu
const marks = /\p{M}/gu

/**
 * Folds a catalog name (keyword, label, department) for the per-tenant uniqueness check:
 * compatibility forms decomposed (Unicode NFKD: "ﬃ" is "ffi", "①" is "1"), case folded ("ß" is
 * "ss"), combining marks (accents) and default-ignorable code points (zero-width space, soft
 * hyphen, joiners, variation selectors) removed, recomposed (NFC), inner white space collapsed.
 * "Prospect Chaud", "prospect  chaud", "PROSPECT CHAUD" and "pro\u00ADspect chaud" collide; so do
 * "Élevé" and "eleve". Folding a folded name changes nothing.
 *
 * @example
 * ```ts
 * import { normalizeName } from "rmc-details"
 * normalizeName("  Relance à  prévoir ") // "relance a prevoir"
 * normalizeName("Of\u200Bfice") === normalizeName("OFFICE") // true
 * ```
 */
export const normalizeName = (name: string): string => {
  let folded = fold(name)
  // A few characters need a second round: "ẞ" lowers to "ß", which upper-cases to "SS".
  for (let round = 0; round < 3; round++) {
    const again = fold(folded)
    if (again === folded) break
    folded = again
  }
  return folded.normalize("NFC").replace(/\s+/gu, " ").trim()
}

const fold = (name: string): string =>
  name
    .normalize("NFKD")
    // Upper then lower case folds what lower case alone keeps apart ("ß" and "ss", "ς" and "σ").
    .toUpperCase()
    .toLowerCase()
    // Case mapping can bring back compatibility forms and marks ("İ" lowers to "i" and a dot above).
    .normalize("NFKD")
    .replace(marks, "")
    .replace(ignorable, "")
