/**
 * Strings in code-unit order: the same on every machine (localeCompare follows the process's locale, and its first
 * call costs milliseconds to load ICU's collation data). For sorting file names, ISO times and report ties. Pure.
 */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
