/**
 * Folds a catalog name (keyword, label, department) for the per-tenant uniqueness check: Unicode
 * NFKD, combining marks removed, lower case, inner white space collapsed. "Prospect Chaud",
 * "prospect  chaud" and "PROSPECT CHAUD" collide; so do "Élevé" and "eleve".
 *
 * @example
 * ```ts
 * import { normalizeName } from "rmc-details"
 * normalizeName("  Relance à  prévoir ") // "relance a prevoir"
 * ```
 */
export const normalizeName = (name: string): string =>
  name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLocaleLowerCase("und")
    .replace(/\s+/gu, " ")
    .trim()
