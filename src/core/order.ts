/**
 * Code-point order of two strings: what every sorted list Tollgate writes uses (file indexes, SBOM
 * lists, caches), never `localeCompare`, whose order depends on the process's locale and whose first
 * call sets up ICU's collator.
 */
export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
