/**
 * Records keyed by names from a topology (hosts, roles, vars, pairs): a name such as
 * `constructor` or `toString` is only a key. A plain `{}` would answer those from
 * Object.prototype (a host called `constructor` was found, as a function, in every lookup).
 */

/** `record[key]` when the record itself has that key; never a property of Object.prototype. */
export function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

/** An empty record without a prototype. */
export function dict<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
