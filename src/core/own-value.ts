/**
 * `record[key]` when `key` is one of the record's own keys: a key read from input (a logged code, a query's `comp`, a
 * header) such as `constructor` or `__proto__` would otherwise find Object.prototype's members. Pure.
 */
export function ownValue<V>(record: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
