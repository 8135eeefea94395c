/** A stable fingerprint of a JSON-like value, to tell whether a run's plan is still the one a journal recorded. */
import { createHash } from 'node:crypto';

const byKey = ([a]: [string, unknown], [b]: [string, unknown]): number => (a < b ? -1 : a > b ? 1 : 0);

/** Object keys sorted, so that the same data hashes the same whatever order it was built in; Maps and Sets by their contents. */
function canonical(_key: string, value: unknown): unknown {
  if (value instanceof Map) return { $map: [...(value as Map<unknown, unknown>)].map(([k, v]) => [String(k), v] as [string, unknown]).sort(byKey) };
  if (value instanceof Set) return { $set: [...(value as Set<unknown>)] };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(byKey));
}

/**
 * sha256 (hex) of `value` as JSON with every object's keys sorted (JSON rules otherwise:
 * undefined fields are left out, toJSON is used); a Map hashes as its entries sorted by key,
 * a Set as its values in order.
 */
export function hashDocument(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value, canonical) ?? 'undefined').digest('hex');
}
